import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "@proj/core";
import { createGenerator, type Generator, renderChat } from "../src/index.js";

// A ChatML template, as Qwen models ship.
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let llama: Generator;
beforeAll(async () => {
  llama = await createGenerator(fixture("llama"), { threads: 1 });
});
afterAll(() => llama.dispose());

describe("chat", () => {
  const messages = [
    { role: "system", content: "You are terse." },
    { role: "user", content: "Hi!" },
  ];

  it("renders the conversation with the Jinja template and ends with the assistant's turn", () => {
    const prompt = renderChat(llama.model, messages, { chatTemplate: CHATML });
    expect(prompt).toBe("<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n");
  });

  it("answers exactly as generate() on the rendered prompt without added special tokens", async () => {
    const answer = await llama.chat(messages, { chatTemplate: CHATML, maxNewTokens: 8 });
    const prompt = renderChat(llama.model, messages, { chatTemplate: CHATML });
    const plain = await llama.generate(prompt, { maxNewTokens: 8, addSpecialTokens: false });
    expect(answer.tokenIds).toEqual(plain.tokenIds);
    expect(answer.text).toBe(plain.text);
  });

  it("a model without a chat template is a clear InputError", async () => {
    const error = await llama.chat(messages).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/no chat template/);
  });

  it("malformed messages are InputErrors", async () => {
    await expect(llama.chat([], { chatTemplate: CHATML })).rejects.toBeInstanceOf(InputError);
    await expect(llama.chat([{ role: "user" } as never], { chatTemplate: CHATML })).rejects.toThrow(/messages\[0\]/);
  });
});
