import { InputError, ModelNotFoundError, OverloadedError } from "@proj/core";
import { createChatSession, createGenerator, createRemoteGenerator, type Generator, type RemoteGenerator } from "@proj/decoder";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHATML, type Running, start } from "./helpers.js";

let run: Running;
let local: Generator;
let remote: RemoteGenerator;
beforeAll(async () => {
  [run, local] = await Promise.all([start(), createGenerator(fixture("llama"), { load: { threads: 1 } })]);
  remote = createRemoteGenerator({ baseURL: `${run.url}/v1`, model: "llama", returnTokenIds: true });
});
afterAll(async () => {
  await Promise.all([run?.server.close(), local?.dispose()]);
});

const messages = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Hi!" },
];

describe("the remote model source against this server", () => {
  it("generate() returns the same text, token ids and finish reason as the local generator", async () => {
    for (const options of [
      { maxNewTokens: 12, doSample: false },
      { maxNewTokens: 10, doSample: true, temperature: 1.3, topP: 0.9, seed: 3 },
      { maxNewTokens: 12, repetitionPenalty: 1.3, presencePenalty: 0.5, frequencyPenalty: 0.2, stop: ["e"] },
    ]) {
      const want = await local.generate("Once upon a time", options);
      const got = await remote.generate("Once upon a time", options);
      expect(got.text).toBe(want.text);
      expect(got.tokenIds).toEqual(want.tokenIds);
      expect(got.finishReason).toBe(want.finishReason);
      expect(got.metrics.generatedTokens).toBe(want.tokenIds.length);
      expect(got.metrics.promptTokens).toBe(want.metrics.promptTokens);
    }
  });

  it("several prompts and n sequences come back in the local shape", async () => {
    const options = { maxNewTokens: 6, doSample: true, seed: 5, numReturnSequences: 2 };
    const want = await local.generate(["Hello", "Why"], options);
    const got = await remote.generate(["Hello", "Why"], options);
    expect(got.map((r) => r.sequences.map((s) => s.text))).toEqual(want.map((r) => r.sequences.map((s) => s.text)));
  });

  it("chat() and streamChat() answer as the local chat with the same template", async () => {
    const want = await local.chat(messages, { chatTemplate: CHATML, maxNewTokens: 10, doSample: false });
    expect((await remote.chat(messages, { maxNewTokens: 10, doSample: false })).text).toBe(want.text);
    const s = remote.streamChat(messages, { maxNewTokens: 10, doSample: false });
    let text = "";
    const ids: number[] = [];
    for await (const chunk of s) {
      text += chunk.text;
      if (chunk.tokenId !== undefined) ids.push(chunk.tokenId);
    }
    expect(text).toBe(want.text);
    expect(ids).toEqual(want.tokenIds);
    const result = await s.result;
    expect(result.text).toBe(want.text);
    expect(result.metrics.ttftMs).toBeGreaterThan(0);
    expect(result.metrics.ttftMs).toBeLessThanOrEqual(result.metrics.totalMs);
  });

  it("a chat session over the remote generator keeps the history; the server's prefix cache serves it (cached_tokens)", async () => {
    const system = "You are terse. You answer questions about the library: opening hours, loans, fines and events.";
    const session = await createChatSession(remote, { system });
    const turns = ["When do you open?", "And on Sundays?", "How long is a loan?"];
    for (const [i, text] of turns.entries()) {
      const before = session.messages;
      const got = await session.send(text, { maxNewTokens: 6, doSample: false });
      const want = await local.chat([...before, { role: "user", content: text }], {
        chatTemplate: CHATML,
        maxNewTokens: 6,
        doSample: false,
      });
      expect(got.text).toBe(want.text);
      expect(session.messages).toHaveLength(before.length + 2);
      expect(session.cachedTokens).toBe(0); // the session holds no key/values of a remote model
      if (i > 0) expect(got.metrics.cachedTokens).toBeGreaterThanOrEqual(16); // the server's own prefix cache
    }
    await expect(createChatSession(remote, { load: { threads: 1 } })).rejects.toThrow(/load and prefixCache/);
    await session.dispose();
    await expect(session.send("Bye")).rejects.toThrow(/after dispose/);
  });

  it("stream() yields deltas that add up to the local text", async () => {
    const want = await local.generate("The cat sat on the", { maxNewTokens: 15, doSample: false });
    let text = "";
    for await (const chunk of remote.stream("The cat sat on the", { maxNewTokens: 15, doSample: false })) text += chunk.text;
    expect(text).toBe(want.text);
  });

  it("an AbortSignal cancels the request: finish reason abort, and the server frees the rows", async () => {
    const controller = new AbortController();
    let n = 0;
    const result = await remote.generate("Hello", {
      maxNewTokens: 1900,
      eosTokenId: [],
      signal: controller.signal,
      onToken: () => {
        if (++n === 3) controller.abort();
      },
    });
    expect(result.finishReason).toBe("abort");
    expect(result.tokenIds.length).toBeGreaterThanOrEqual(3);
    const started = performance.now();
    while (run.server.metrics.sequencesInFlight > 0 && performance.now() - started < 2_000) await new Promise((r) => setTimeout(r, 10));
    expect(run.server.metrics.sequencesInFlight).toBe(0);
  });

  it("server errors become the SDK's typed errors", async () => {
    const wrong = createRemoteGenerator({ baseURL: `${run.url}/v1`, model: "nope" });
    await expect(wrong.generate("Hello")).rejects.toBeInstanceOf(ModelNotFoundError);
    await expect(remote.generate("Hello", { maxNewTokens: 5000 })).rejects.toBeInstanceOf(InputError);
    await expect(remote.generate("Hello", { numBeams: 2 })).rejects.toThrow(/beam search/);
    await expect(remote.generate("")).rejects.toBeInstanceOf(InputError);

    const small = await start({ maxSequences: 1, maxQueue: 1 });
    try {
      const busy = createRemoteGenerator({ baseURL: `${small.url}/v1`, model: "llama" });
      const outcomes = await Promise.all(
        Array.from({ length: 5 }, () => busy.generate("Hello", { maxNewTokens: 40, eosTokenId: [] }).catch((e: unknown) => e)),
      );
      const refused = outcomes.filter((o) => o instanceof OverloadedError);
      expect(refused.length).toBeGreaterThan(0);
      expect((refused[0] as OverloadedError).retryAfterMs).toBeGreaterThanOrEqual(1000);
    } finally {
      await small.server.close();
    }
  });
});
