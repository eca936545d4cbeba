import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DisposedError, InputError } from "@proj/core";
import { type ChatMessage, type ChatResult, createChatSession, createGenerator, type LocalGenerator } from "../src/index.js";

// A ChatML template, as Qwen models ship.
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
const SYSTEM = "You are a patient librarian. You answer questions about books, authors and opening hours in one or two sentences.";
const TURNS = ["Who wrote Middlemarch?", "When was it published?", "Is there a copy in the reading room?", "Can I borrow it?"];
const CALL = { maxNewTokens: 10, eosTokenId: [] as number[] };

let warm: LocalGenerator;
let cold: LocalGenerator;
beforeAll(async () => {
  warm = await createGenerator(fixture("llama"), { load: { threads: 1 } });
  cold = await createGenerator(fixture("llama"), { load: { threads: 1 }, prefixCache: false });
});
afterAll(async () => {
  await warm.dispose();
  await cold.dispose();
});

/** What a generator without any cache answers to the same conversation. */
async function coldAnswer(messages: readonly ChatMessage[]): Promise<ChatResult> {
  return cold.chat(messages, { ...CALL, chatTemplate: CHATML });
}

describe("chat sessions that keep their key/values", () => {
  it("each turn answers exactly as a cold chat on the whole history, and prefills only what is new", async () => {
    const session = await createChatSession(warm, { system: SYSTEM, chatTemplate: CHATML });
    let previousPrompt = 0;
    for (const [i, text] of TURNS.entries()) {
      const before = session.messages;
      const result = await session.send(text, CALL);
      const expected = await coldAnswer([...before, { role: "user", content: text }]);
      expect(result.tokenIds).toEqual(expected.tokenIds);
      expect(result.text).toBe(expected.text);
      const { promptTokens, cachedTokens = 0 } = result.metrics;
      expect(cachedTokens % 16).toBe(0);
      if (i > 0) {
        // Everything up to the previous answer was read before: at most the block it ends in is prefilled again.
        expect(cachedTokens).toBeGreaterThanOrEqual(previousPrompt - 16);
        expect(promptTokens - cachedTokens).toBeLessThan(promptTokens - previousPrompt + 16 + 16);
      }
      previousPrompt = promptTokens + result.tokenIds.length;
      expect(session.messages).toHaveLength(before.length + 2);
      expect(session.messages.at(-1)).toEqual({ role: "assistant", content: result.text });
      expect(session.cachedTokens).toBeGreaterThan(0);
    }
    expect(warm.prefixCacheStats()?.pinnedBlocks).toBeGreaterThan(0);
    await session.dispose();
    expect(session.disposed).toBe(true);
    expect(warm.prefixCacheStats()?.pinnedBlocks).toBe(0);
    await expect(session.send("Hello?")).rejects.toBeInstanceOf(DisposedError);
  });

  it("fork() branches a conversation: both branches share the history's key/values and answer as cold chats", async () => {
    const session = await createChatSession(warm, { system: SYSTEM, chatTemplate: CHATML });
    await session.send(TURNS[0] as string, CALL);
    const branch = session.fork();
    expect(branch.messages).toEqual(session.messages);
    expect(branch.cachedTokens).toBe(session.cachedTokens);
    const history = session.messages;
    const [a, b] = await Promise.all([session.send("Tell me more.", CALL), branch.send("Something else, please.", CALL)]);
    expect(a.tokenIds).toEqual((await coldAnswer([...history, { role: "user", content: "Tell me more." }])).tokenIds);
    expect(b.tokenIds).toEqual((await coldAnswer([...history, { role: "user", content: "Something else, please." }])).tokenIds);
    expect(a.metrics.cachedTokens).toBeGreaterThan(0);
    expect(b.metrics.cachedTokens).toBeGreaterThan(0);
    expect(session.messages.at(-2)?.content).toBe("Tell me more.");
    expect(branch.messages.at(-2)?.content).toBe("Something else, please.");
    await session.dispose();
    expect(warm.prefixCacheStats()?.pinnedBlocks).toBeGreaterThan(0); // the branch still holds its history
    await branch.dispose();
    expect(warm.prefixCacheStats()?.pinnedBlocks).toBe(0);
  });

  it("turns sent together run one after the other, and stream() streams a turn", async () => {
    const session = await createChatSession(warm, { system: SYSTEM, chatTemplate: CHATML });
    const [first, second] = await Promise.all([session.send(TURNS[0] as string, CALL), session.send(TURNS[1] as string, CALL)]);
    expect(session.messages.map((m) => m.content)).toEqual([SYSTEM, TURNS[0], first.text, TURNS[1], second.text]);
    const stream = session.stream(TURNS[2] as string, CALL);
    let text = "";
    for await (const chunk of stream) text += chunk.text;
    const result = await stream.result;
    expect(text).toBe(result.text);
    expect(session.messages.at(-1)?.content).toBe(result.text);
    await session.dispose();
  });

  it("a conversation that outgrows the context drops its oldest turns (or throws with contextOverflow: 'error')", async () => {
    const long = "The reading room opens at nine and closes at five, except on Sundays. ".repeat(20);
    const earlier: ChatMessage[] = [
      { role: "user", content: long },
      { role: "assistant", content: long },
      { role: "user", content: long },
      { role: "assistant", content: long },
    ];
    const tokens = (await warm.model.tokenizer.encode(long, { addSpecialTokens: false })).ids.length;
    const context = warm.model.config.maxPositionEmbeddings as number;
    // maxNewTokens such that the system message, one old turn pair and the new message fit, but not two pairs.
    const maxNewTokens = context - (2 * tokens + 150);
    expect(maxNewTokens).toBeGreaterThan(0);
    const strict = await createChatSession(warm, { system: SYSTEM, messages: earlier, chatTemplate: CHATML, contextOverflow: "error" });
    const error = await strict.send("Short question?", { maxNewTokens, eosTokenId: [] }).catch((e: unknown) => e);
    expect(InputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/exceeds the model's context/);
    expect(strict.messages).toHaveLength(5); // nothing changed
    await strict.dispose();

    const session = await createChatSession(warm, { system: SYSTEM, messages: earlier, chatTemplate: CHATML });
    const result = await session.send("Short question?", { maxNewTokens: 4, stop: [] });
    expect(result.text.length).toBeGreaterThanOrEqual(0);
    expect(session.droppedMessages).toBe(0); // 4 new tokens fit
    // A turn that fails after the oldest turns were dropped to fit it leaves the history and the count as they were.
    const before = session.messages.length;
    await expect(session.send("And another?", { maxNewTokens, eosTokenId: [], signal: AbortSignal.abort() })).rejects.toThrow();
    expect(session.droppedMessages).toBe(0);
    expect(session.messages).toHaveLength(before);
    const trimmed = await session.send("And another?", { maxNewTokens, eosTokenId: [] });
    expect(session.droppedMessages).toBeGreaterThan(0);
    expect(session.messages[0]).toEqual({ role: "system", content: SYSTEM });
    expect(session.messages[1]?.role).toBe("user");
    expect(trimmed.metrics.promptTokens + maxNewTokens).toBeLessThanOrEqual(context);
    await session.dispose();
  });

  it("on a generator without a prefix cache, a session keeps the history but no key/values", async () => {
    const session = await createChatSession(cold, { system: SYSTEM, chatTemplate: CHATML });
    await session.send(TURNS[0] as string, CALL);
    const second = await session.send(TURNS[1] as string, CALL);
    expect(second.metrics.cachedTokens).toBe(0);
    expect(session.cachedTokens).toBe(0);
    expect(session.messages).toHaveLength(5);
    await session.dispose();
  });

  it("refuses unknown options and bad values, naming them", async () => {
    await expect(createChatSession(warm, { sytem: "x" } as never)).rejects.toThrow(/sytem.*system/s);
    await expect(createChatSession(warm, { contextOverflow: "drop" as never })).rejects.toThrow(/contextOverflow/);
    await expect(createChatSession(warm, { load: { threads: 1 } })).rejects.toThrow(/load and prefixCache/);
    await expect(createChatSession(warm, { messages: [{ role: "user" } as never] })).rejects.toThrow(/messages\[0\]/);
    const session = await createChatSession(warm, { chatTemplate: CHATML });
    await expect(session.send("Hi", { maxNewToken: 3 } as never)).rejects.toThrow(/maxNewToken/);
    await session.dispose();
  });

  it("a session given a model folder loads the generator and disposes it with the last of its forks", async () => {
    const session = await createChatSession(fixture("llama"), {
      load: { threads: 1 },
      chatTemplate: CHATML,
      prefixCache: { blockTokens: 8 },
    });
    const first = await session.send(TURNS[0] as string, CALL);
    const second = await session.send(TURNS[1] as string, CALL);
    expect(second.metrics.cachedTokens).toBeGreaterThan(0);
    expect((second.metrics.cachedTokens ?? 0) % 8).toBe(0);
    expect(first.text).toBe((await coldAnswer([{ role: "user", content: TURNS[0] as string }])).text);
    const branch = session.fork();
    await session.dispose();
    expect((await branch.send(TURNS[2] as string, CALL)).tokenIds.length).toBe(10);
    await branch.dispose();
  });
});
