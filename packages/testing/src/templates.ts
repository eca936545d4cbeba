import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Names of the chat templates written for tests (`packages/testing/templates`, provenance in its README). */
export type TemplateName = "hermes-tools";

const templatesDir = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "templates");

/**
 * The text of a chat template written for tests, e.g. the ChatML/Hermes template with tools that the tool-calling
 * tests give the GPT-2 fixture (which has no template of its own).
 *
 * @example
 * await chat(messages, { model: fixture("gpt2"), chatTemplate: chatTemplate("hermes-tools"), tools });
 */
export function chatTemplate(name: TemplateName): string {
  return readFileSync(join(templatesDir, `${name}.jinja`), "utf8");
}
