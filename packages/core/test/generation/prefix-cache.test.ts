import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DecodingOptions, type LoadedModel, loadModel, type PinnedPrefix } from "../../src/index.js";
import { CausalRunner, ContinuousBatcher, MetricsRecorder, PrefixCache } from "../../src/internal.js";
import { batchRequest } from "./engine-helpers.js";

/** The prefix cache: reused key/values give the logits and tokens of a full prefill, in and out of the batcher. */

const names = ["gpt2", "llama"] as const;
const models = new Map<string, { model: LoadedModel; runner: CausalRunner }>();
beforeAll(async () => {
  for (const name of names) {
    const model = await loadModel(fixture(name), { threads: 1 });
    const runner = new CausalRunner(model.session("model"), model.config, {
      padTokenId: model.config.padTokenId ?? model.tokenizer.specialIds.pad ?? 0,
    });
    models.set(name, { model, runner });
  }
});
afterAll(async () => {
  for (const { model } of models.values()) await model.dispose();
});

const SYSTEM =
  "You are a careful assistant. Answer briefly, cite the page you read, and say when you do not know. The user works in a library and asks about books, authors and opening hours.";
const QUESTIONS = [
  "When do you open on Sunday?",
  "Who wrote Middlemarch?",
  "Is there a copy of Moby-Dick in the reading room, and may I borrow it?",
];

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

function setup(name: string): { model: LoadedModel; runner: CausalRunner } {
  return models.get(name) as { model: LoadedModel; runner: CausalRunner };
}

const request = batchRequest;

const GREEDY: DecodingOptions = { maxNewTokens: 12, eosTokenId: [] };

describe.each(names)("%s: the prefix cache", (name) => {
  it("a prefill on cached key/values gives the logits and key/values of a full prefill", async () => {
    const { model, runner } = setup(name);
    const shared = (await model.tokenizer.encode(SYSTEM)).ids;
    const prompt = [...shared, ...(await model.tokenizer.encode(` ${QUESTIONS[0]}`, { addSpecialTokens: false })).ids];
    const cache = new PrefixCache({ blockTokens: 8 });
    const warm = await runner.prefill([{ inputIds: shared }]);
    cache.store(warm.cache, 0);
    const hit = cache.lookup(prompt);
    expect(hit?.length).toBe(Math.floor(shared.length / 8) * 8);
    const full = await runner.prefill([{ inputIds: prompt }]);
    const reused = await runner.prefill([{ inputIds: prompt, past: hit }]);
    expect(maxAbsDiff(full.logits[0] as Float32Array, reused.logits[0] as Float32Array)).toBeLessThan(1e-4);
    expect(reused.cache.pastLength).toBe(prompt.length);
    expect(reused.cache.tokens[0]).toEqual(prompt);
    for (const [input, tensor] of full.cache.selfKv) {
      const other = reused.cache.selfKv.get(input);
      expect(other?.dims).toEqual(tensor.dims);
      expect(maxAbsDiff(tensor.data as Float32Array, other?.data as Float32Array)).toBeLessThan(1e-4);
    }
  });

  it("prompts with different cached lengths and different rests prefill together with each one's full-prefill logits", async () => {
    const { model, runner } = setup(name);
    const cache = new PrefixCache({ blockTokens: 4 });
    const shared = (await model.tokenizer.encode(SYSTEM)).ids;
    cache.store((await runner.prefill([{ inputIds: shared }])).cache, 0);
    const prompts = [
      [...shared.slice(0, 9), ...(await model.tokenizer.encode(" Short.", { addSpecialTokens: false })).ids],
      [...shared, ...(await model.tokenizer.encode(` ${QUESTIONS[2]}`, { addSpecialTokens: false })).ids],
      (await model.tokenizer.encode("Nothing shared here at all.")).ids,
      [...shared.slice(0, 21), ...(await model.tokenizer.encode(` ${QUESTIONS[1]}`, { addSpecialTokens: false })).ids],
    ];
    const rows = prompts.map((inputIds) => ({ inputIds, past: cache.lookup(inputIds) }));
    expect(rows.map((r) => r.past?.length ?? 0)).toEqual([8, Math.floor(shared.length / 4) * 4, 0, 20]);
    const together = await runner.prefill(rows);
    expect(together.cache.tokens).toEqual(prompts);
    for (const [i, inputIds] of prompts.entries()) {
      const alone = await runner.prefill([{ inputIds }]);
      expect(maxAbsDiff(alone.logits[0] as Float32Array, together.logits[i] as Float32Array)).toBeLessThan(1e-4);
    }
  });

  it("prompts sharing a system prompt decode exactly as without the cache, concurrently, with different cached lengths in one batch", async () => {
    const { model, runner } = setup(name);
    const prompts = await Promise.all(QUESTIONS.map(async (q) => (await model.tokenizer.encode(`${SYSTEM} ${q}`)).ids));
    const without = new ContinuousBatcher(runner);
    const expected = await Promise.all(prompts.map(async (ids) => (await without.submit(await request(model, ids, GREEDY)))[0]?.tokenIds));

    const prefixCache = new PrefixCache();
    const batcher = new ContinuousBatcher(runner, { prefixCache, maxSequences: 8 });
    // The first request fills the cache; then a fresh prompt and the cached ones prefill in one admission.
    const first = await batcher.submit(await request(model, prompts[0] as number[], GREEDY));
    expect(first[0]?.tokenIds).toEqual(expected[0]);
    const fresh = (await model.tokenizer.encode("A different opening entirely, with nothing shared.")).ids;
    const freshExpected = (await without.submit(await request(model, fresh, GREEDY)))[0]?.tokenIds;
    const metrics = prompts.map(() => new MetricsRecorder());
    const concurrent = await Promise.all([
      batcher.submit(await request(model, fresh, GREEDY)),
      ...prompts.map(async (ids, i) => batcher.submit(await request(model, ids, GREEDY, { metrics: metrics[i] }))),
    ]);
    expect(concurrent[0]?.[0]?.tokenIds).toEqual(freshExpected);
    prompts.forEach((ids, i) => {
      expect(concurrent[i + 1]?.[0]?.tokenIds).toEqual(expected[i]);
      const cached = metrics[i]?.finish(ids.length, 12).cachedTokens ?? 0;
      // The whole prompt of the first question was stored; the others share the system prompt's full blocks.
      expect(cached).toBeGreaterThanOrEqual(16);
      expect(cached % 16).toBe(0);
      expect(cached).toBeLessThan(ids.length);
    });
    const stats = prefixCache.stats();
    expect(stats.lookups).toBe(5);
    expect(stats.hits).toBe(3);
    expect(stats.bytes).toBeGreaterThan(0);
  });

  it("keepCache pins a finished sequence's prompt and generated tokens, so the next turn prefills only what is new", async () => {
    const { model, runner } = setup(name);
    const prefixCache = new PrefixCache({ blockTokens: 4 });
    const batcher = new ContinuousBatcher(runner, { prefixCache });
    const turn1 = (await model.tokenizer.encode(`${SYSTEM} ${QUESTIONS[1]}`)).ids;
    let pinned: PinnedPrefix | undefined;
    const [answer] = await batcher.submit(
      await request(model, turn1, GREEDY, {
        keepCache: (p) => {
          pinned = p;
        },
      }),
    );
    const generated = answer?.tokenIds ?? [];
    // Every fed token (the last generated one is chosen, not fed) is in whole blocks of 4.
    const fed = turn1.length + generated.length - 1;
    expect(pinned?.length).toBe(Math.floor(fed / 4) * 4);
    const turn2 = [...turn1, ...generated, ...(await model.tokenizer.encode(" Thanks. And Persuasion?", { addSpecialTokens: false })).ids];
    const recorder = new MetricsRecorder();
    const [next] = await batcher.submit(await request(model, turn2, GREEDY, { metrics: recorder }));
    expect(recorder.finish(turn2.length, 12).cachedTokens).toBe(pinned?.length);
    const [cold] = await new ContinuousBatcher(runner).submit(await request(model, turn2, GREEDY));
    expect(next?.tokenIds).toEqual(cold?.tokenIds);
    // Pinned blocks survive any budget; released, they go.
    const squeezed = new PrefixCache({ blockTokens: 4, maxBytes: 0 });
    const warm = await runner.prefill([{ inputIds: turn1 }]);
    const held = squeezed.store(warm.cache, 0, { pin: true });
    expect(squeezed.stats().blocks).toBe(Math.floor(turn1.length / 4));
    expect(squeezed.lookup(turn1)?.length).toBe(Math.floor((turn1.length - 1) / 4) * 4);
    squeezed.release(held);
    expect(squeezed.stats()).toMatchObject({ blocks: 0, bytes: 0 });
  });
});

describe("the prefix cache's budget and switches", () => {
  it("evicts least recently used leaves first and stays within maxBytes", async () => {
    const { model, runner } = setup("gpt2");
    const a = (await model.tokenizer.encode(`${SYSTEM} ${QUESTIONS[0]}`)).ids;
    const b = (await model.tokenizer.encode(`${QUESTIONS[2]} ${SYSTEM}`)).ids;
    const probe = new PrefixCache({ blockTokens: 8 });
    probe.store((await runner.prefill([{ inputIds: a }])).cache, 0);
    const blockBytes = probe.stats().bytes / probe.stats().blocks;
    const blocksA = Math.floor(a.length / 8);
    const blocksB = Math.floor(b.length / 8);
    // Room for all of a and two more blocks: storing b (the more recent) evicts a's blocks, deepest first.
    const cache = new PrefixCache({ blockTokens: 8, maxBytes: blockBytes * (blocksA + 2) });
    cache.store((await runner.prefill([{ inputIds: a }])).cache, 0);
    cache.store((await runner.prefill([{ inputIds: b }])).cache, 0);
    const stats = cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(cache.maxBytes);
    expect(stats.evictions).toBe(blocksB - 2);
    expect(stats.blocks).toBe(blocksA + 2);
    expect(cache.lookup(b)?.length).toBe(Math.min(blocksB, Math.floor((b.length - 1) / 8)) * 8);
    // What is left of a is still its first blocks, reachable from its root.
    expect(cache.lookup(a)?.length ?? 0).toBe(Math.min(blocksA - (blocksB - 2), Math.floor((a.length - 1) / 8)) * 8);
  });

  it("a request that fails after its key/values were pinned releases them; the batch goes on", async () => {
    const { model, runner } = setup("gpt2");
    const prefixCache = new PrefixCache({ blockTokens: 4 });
    const batcher = new ContinuousBatcher(runner, { prefixCache });
    const ids = (await model.tokenizer.encode(SYSTEM)).ids;
    const failing = batcher.submit(
      await request(model, ids, GREEDY, {
        keepCache: () => {
          throw new Error("the holder refused");
        },
      }),
    );
    const fine = batcher.submit(await request(model, ids, { ...GREEDY, maxNewTokens: 20 }));
    await expect(failing).rejects.toThrow("the holder refused");
    expect((await fine)[0]?.tokenIds).toHaveLength(20);
    expect(prefixCache.stats().pinnedBlocks).toBe(0);
    expect(prefixCache.stats().blocks).toBeGreaterThan(0);
  });

  it("cachePrompt: false neither reads nor fills the cache", async () => {
    const { model, runner } = setup("gpt2");
    const prefixCache = new PrefixCache();
    const batcher = new ContinuousBatcher(runner, { prefixCache });
    const ids = (await model.tokenizer.encode(SYSTEM)).ids;
    await batcher.submit(await request(model, ids, GREEDY, { cachePrompt: false }));
    expect(prefixCache.stats()).toMatchObject({ lookups: 0, blocks: 0 });
    await batcher.submit(await request(model, ids, GREEDY));
    const recorder = new MetricsRecorder();
    await batcher.submit(await request(model, ids, GREEDY, { metrics: recorder, cachePrompt: false }));
    expect(recorder.finish(ids.length, 12).cachedTokens).toBe(0);
    expect(prefixCache.stats()).toMatchObject({ lookups: 1, hits: 0 });
  });

  it("refuses a block size or budget that makes no sense, naming the option", () => {
    expect(() => new PrefixCache({ blockTokens: 0 })).toThrow(/blockTokens/);
    expect(() => new PrefixCache({ maxBytes: -1 })).toThrow(/maxBytes/);
  });
});
