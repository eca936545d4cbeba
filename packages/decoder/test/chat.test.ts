import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError, TemplateError } from "@proj/core";
import { createGenerator, type LocalGenerator, renderChat } from "../src/index.js";

// A ChatML template, as Qwen models ship.
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

let llama: LocalGenerator;
beforeAll(async () => {
  llama = await createGenerator(fixture("llama"), { load: { threads: 1 } });
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

  it("a template's raise_exception() is a TemplateError carrying the template's message (as Llama/Mistral templates refuse a bad role order)", async () => {
    const strict =
      "{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}" +
      "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}" +
      "{{ message['content'] }}{% endfor %}";
    const error = await llama.chat([{ role: "assistant", content: "Hi" }], { chatTemplate: strict }).catch((e: unknown) => e);
    expect(TemplateError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/Conversation roles must alternate/);
  });

  it("a template that uses an unknown filter is a TemplateError naming it, not a plain Error", () => {
    let error: unknown;
    try {
      renderChat(llama.model, messages, { chatTemplate: "{{ messages[0]['content'] | no_such_filter }}" });
    } catch (e) {
      error = e;
    }
    expect(TemplateError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/no_such_filter/);
  });

  it("OpenAI-style text parts render as the joined text, exactly like string content", async () => {
    const parts = [
      {
        role: "system",
        content: [
          { type: "text" as const, text: "You are " },
          { type: "text" as const, text: "terse." },
        ],
      },
      { role: "user", content: [{ type: "text" as const, text: "Hi!" }] },
    ];
    expect(renderChat(llama.model, parts, { chatTemplate: CHATML })).toBe(renderChat(llama.model, messages, { chatTemplate: CHATML }));
    const a = await llama.chat(parts, { chatTemplate: CHATML, maxNewTokens: 4 });
    const b = await llama.chat(messages, { chatTemplate: CHATML, maxNewTokens: 4 });
    expect(a.tokenIds).toEqual(b.tokenIds);
  });

  it("a part that is not text is an InputError naming the message and the part", () => {
    const image = [{ role: "user", content: [{ type: "image_url", image_url: "x" }] }] as never;
    expect(() => renderChat(llama.model, image, { chatTemplate: CHATML })).toThrow(/messages\[0\]\.content\[0\] is a image_url part/);
  });
});
