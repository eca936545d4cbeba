import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture } from "@proj/testing";
import { BadRequestError } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { post, type Running, start } from "./helpers.js";

/** What real templates (Llama 2, Mistral, Gemma) do with a conversation they cannot render. */
const RAISING_TEMPLATE =
  "{% for message in messages %}{% if message['role'] == 'system' %}" +
  "{{ raise_exception('System role not supported by this template') }}" +
  "{% endif %}{{ message['content'] }}{% endfor %}";

let dir: string;
let run: Running;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "proj-template-"));
  const model = join(dir, "llama");
  await cp(fixture("llama"), model, { recursive: true });
  const configPath = join(model, "tokenizer_config.json");
  const config = JSON.parse(await readFile(configPath, "utf8")) as Record<string, unknown>;
  await writeFile(configPath, JSON.stringify({ ...config, chat_template: RAISING_TEMPLATE }));
  run = await start({ model, chatTemplate: undefined });
});
afterAll(async () => {
  await run?.server.close();
  await rm(dir, { recursive: true, force: true });
});

describe("a chat template that raises", () => {
  it("is a 400 chat_template_error carrying the template's message, through the openai client", async () => {
    const error = await run.client.chat.completions
      .create({
        model: "llama",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
        ],
        max_tokens: 2,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).status).toBe(400);
    expect((error as BadRequestError).code).toBe("chat_template_error");
    expect((error as BadRequestError).message).toContain("System role not supported by this template");
  });

  it("is a 400 before a stream starts too, and the server still answers what the template accepts", async () => {
    const streamed = await post(`${run.url}/v1/chat/completions`, {
      model: "llama",
      messages: [{ role: "system", content: "Be brief." }],
      max_tokens: 2,
      stream: true,
    });
    expect(streamed.status).toBe(400);
    expect(streamed.json.error).toMatchObject({ type: "invalid_request_error", code: "chat_template_error", param: "messages" });
    const fine = await run.client.chat.completions.create({ model: "llama", messages: [{ role: "user", content: "Hi" }], max_tokens: 2 });
    expect(fine.choices[0]?.finish_reason).toMatch(/stop|length/);
  });
});
