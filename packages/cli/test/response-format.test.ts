import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture } from "@proj/testing";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, it } from "vitest";
import { proj } from "./helpers.js";

const SCHEMA = {
  type: "object",
  properties: { name: { type: "string", maxLength: 10 }, age: { type: "integer", minimum: 0, maximum: 120 } },
  required: ["name", "age"],
  additionalProperties: false,
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "proj-format-"));
  await writeFile(join(dir, "person.schema.json"), JSON.stringify(SCHEMA));
  await writeFile(join(dir, "yes-no.ebnf"), 'root ::= "yes" | "no"');
  await writeFile(join(dir, "broken.json"), "{ not json");
});

describe("proj generate with a response format (constrained decoding)", () => {
  it("--json-schema prints JSON that validates against the schema (ajv), for several seeds", async () => {
    const validate = new Ajv().compile(SCHEMA);
    for (const seed of [1, 2, 3]) {
      const run = await proj([
        "generate",
        "-m",
        fixture("gpt2"),
        "--json-schema",
        join(dir, "person.schema.json"),
        "--sample",
        "--seed",
        String(seed),
        "--max-new-tokens",
        "80",
        "--json",
        "A person:",
      ]);
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as { text: string; finishReason: string };
      expect(result.finishReason).toBe("stop");
      expect(validate(JSON.parse(result.text)), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it("--regex and --grammar constrain the text; streamed output is the same text", async () => {
    const regex = await proj(["generate", "-m", fixture("gpt2"), "--regex", "[0-9]{3}-[a-z]{2}", "--max-new-tokens", "20", "Code:"]);
    expect(regex.code, regex.stderr).toBe(0);
    expect(regex.stdout.trim()).toMatch(/^[0-9]{3}-[a-z]{2}$/);
    const grammar = await proj(["generate", "-m", fixture("gpt2"), "--grammar", join(dir, "yes-no.ebnf"), "--max-new-tokens", "5", "Ok?"]);
    expect(grammar.code, grammar.stderr).toBe(0);
    expect(["yes", "no"]).toContain(grammar.stdout.trim());
  });

  it("usage errors: two formats at once, an unreadable file, a schema that is not JSON; an unsupported keyword is named", async () => {
    const two = await proj(["generate", "-m", fixture("gpt2"), "--regex", "a", "--json-object", "x"]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("--regex and --json-object cannot be combined");
    const missing = await proj(["generate", "-m", fixture("gpt2"), "--json-schema", join(dir, "nope.json"), "x"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--json-schema: cannot read .*nope\.json \(ENOENT\)/);
    // Every flag that names a file reads it the same way: serve's and chat's --chat-template too.
    for (const command of [
      ["serve", "-m", fixture("gpt2")],
      ["chat", "-m", fixture("gpt2")],
    ]) {
      const template = await proj([...command, "--chat-template", join(dir, "nope.jinja")], { input: "Hi\n" });
      expect(template.code).toBe(2);
      expect(template.stderr).toMatch(/--chat-template: cannot read .*nope\.jinja \(ENOENT\)/);
    }
    const broken = await proj(["generate", "-m", fixture("gpt2"), "--json-schema", join(dir, "broken.json"), "x"]);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("is not JSON");
    await writeFile(join(dir, "pattern-props.json"), JSON.stringify({ type: "object", patternProperties: { "^a": { type: "string" } } }));
    const unsupported = await proj(["generate", "-m", fixture("gpt2"), "--json-schema", join(dir, "pattern-props.json"), "x"]);
    expect(unsupported.code).toBe(1);
    expect(unsupported.stderr).toContain("patternProperties");
  });
});
