import { disposeCachedHandles, InputError } from "@proj/core";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { chat, createGenerator, generate, stream } from "../src/index.js";
import { generatorFor } from "../src/shared/generators.js";

afterAll(() => disposeCachedHandles());

describe("unknown options are refused, naming the nearest known one", () => {
  const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
    ["maxNewToken", () => generate("Hello", { model: fixture("gpt2"), maxNewToken: 4 } as never), /"maxNewToken".*\n?.*maxNewTokens/s],
    ["top_k", () => generate("Hello", { model: fixture("gpt2"), top_k: 5 } as never), /"top_k".*topK/s],
    ["threads at the top level", () => generate("Hello", { model: fixture("gpt2"), threads: 1 } as never), /"threads"/],
    ["an unknown load option", () => generate("Hello", { model: fixture("gpt2"), load: { thread: 1 } } as never), /"thread".*threads/s],
    ["device gpu", () => generate("Hello", { model: fixture("gpt2"), load: { device: "gpu" } } as never), /device/],
    ["stream's topk", () => stream("Hello", { model: fixture("gpt2"), topk: 1 } as never).result, /"topk".*topK/s],
    [
      "chat's chat_template",
      () => chat([{ role: "user", content: "Hi" }], { model: fixture("llama"), chat_template: "x" } as never),
      /chatTemplate/,
    ],
    ["createGenerator's top-level load options", () => createGenerator(fixture("gpt2"), { threads: 1 } as never), /"threads".*load/s],
  ];
  for (const [name, run, message] of cases) {
    it(name, async () => {
      let error: unknown;
      try {
        await run();
      } catch (e) {
        error = e;
      }
      expect(InputError.isInstance(error)).toBe(true);
      const err = error as InputError;
      expect(`${err.message}\n${err.hint ?? ""}`).toMatch(message);
    });
  }

  it("a handle's own calls refuse unknown options too", async () => {
    const generator = await createGenerator(fixture("gpt2"), { load: { threads: 1 } });
    try {
      await expect(generator.generate("Hello", { maxNewToken: 4 } as never)).rejects.toThrow(/maxNewToken/);
      expect(() => generator.stream("Hello", { top_k: 4 } as never)).toThrow(/top_k/);
    } finally {
      await generator.dispose();
    }
  });
});

describe("the one-shot handle cache", () => {
  it("two calls differing only in load.hub.cacheDir get two handles; equal options share one", async () => {
    const model = fixture("gpt2");
    const a = await generatorFor("generate", model, model, { threads: 1, hub: { cacheDir: "/tmp/proj-cache-a" } }, undefined);
    const b = await generatorFor("generate", model, model, { threads: 1, hub: { cacheDir: "/tmp/proj-cache-b" } }, undefined);
    const again = await generatorFor("generate", model, model, { threads: 1, hub: { cacheDir: "/tmp/proj-cache-a" } }, undefined);
    expect(b).not.toBe(a);
    expect(again).toBe(a);
    const endpoint = await generatorFor(
      "generate",
      model,
      model,
      { threads: 1, hub: { cacheDir: "/tmp/proj-cache-a", endpoint: "http://mirror.local" } },
      undefined,
    );
    expect(endpoint).not.toBe(a);
    await disposeCachedHandles("decoder");
    expect(a.disposed).toBe(true);
    expect(b.disposed).toBe(true);
  });

  it("a handle given as model is used as it is", async () => {
    const generator = await createGenerator(fixture("gpt2"), { load: { threads: 1 } });
    try {
      const viaOneShot = await generate("Hello", { model: generator, maxNewTokens: 5 });
      expect(viaOneShot.tokenIds).toEqual((await generator.generate("Hello", { maxNewTokens: 5 })).tokenIds);
    } finally {
      await generator.dispose();
    }
  });
});

describe("one sampling rule, as the remote generator and the server read it", () => {
  it("temperature alone samples in process (as it does through the server): the same tokens as doSample: true", async () => {
    const generator = await createGenerator(fixture("gpt2"), { load: { threads: 1 } });
    try {
      const options = { maxNewTokens: 20, eosTokenId: [] as number[], seed: 7 };
      const byTemperature = await generator.generate("A man", { ...options, temperature: 1.3 });
      const explicit = await generator.generate("A man", { ...options, doSample: true, temperature: 1.3 });
      const greedy = await generator.generate("A man", { ...options, doSample: false, temperature: 1.3 });
      expect(byTemperature.tokenIds).toEqual(explicit.tokenIds);
      expect(byTemperature.tokenIds).not.toEqual(greedy.tokenIds);
      const zero = await generator.generate("A man", { ...options, temperature: 0 });
      expect(zero.tokenIds).toEqual(greedy.tokenIds);
    } finally {
      await generator.dispose();
    }
  });
});
