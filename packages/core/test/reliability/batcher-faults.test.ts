import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DecodingOptions, type LoadedModel, loadModel, type TokenEvent } from "../../src/index.js";
import { type BatchRequest, CausalRunner, ContinuousBatcher, type DecoderRunner, resolveDecodingOptions } from "../../src/internal.js";

/**
 * The continuous batcher under faults: requests cancelled wherever they wait, callbacks that throw, a runner that
 * fails. Each fault ends only the requests it concerns, promptly (counted in decode steps, not milliseconds), and
 * the batcher keeps serving.
 */

let model: LoadedModel;
let runner: CausalRunner;
beforeAll(async () => {
  model = await loadModel(fixture("llama"), { threads: 1 });
  runner = new CausalRunner(model.session("model"), model.config, { padTokenId: model.config.padTokenId ?? 0 });
});
afterAll(() => model.dispose());

const PROMPTS = [
  [1, 450, 6635, 3290],
  [1, 15043],
  [1, 9038, 2501, 263, 931],
  [1, 1724, 338],
];

function request(prompt: readonly number[], options: DecodingOptions, extra: Partial<BatchRequest> = {}): BatchRequest {
  const limits = { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds };
  return {
    prompt: { inputIds: prompt },
    context: prompt,
    options: resolveDecodingOptions(model.generationConfig, { eosTokenId: [], ...options }, limits, prompt.length),
    tokenizer: model.tokenizer,
    ...extra,
  };
}

describe("continuous batcher under faults", () => {
  it("a request cancelled behind a request that does not fit leaves the queue at the next step", async () => {
    const batcher = new ContinuousBatcher(runner, { maxSequences: 1 });
    let headTokens = 0;
    let tokensWhenCancelledEnded = -1;
    const controller = new AbortController();
    const head = batcher.submit(
      request(
        PROMPTS[0] as number[],
        { maxNewTokens: 60 },
        {
          onToken: () => {
            headTokens += 1;
            if (headTokens === 3) controller.abort();
          },
        },
      ),
    );
    const blocked = batcher.submit(request(PROMPTS[1] as number[], { maxNewTokens: 60 }));
    const cancelled = batcher.submit(request(PROMPTS[2] as number[], { maxNewTokens: 5, signal: controller.signal })).then((result) => {
      tokensWhenCancelledEnded = headTokens;
      return result;
    });
    expect(batcher.queued).toBe(3);
    const [sequence] = await cancelled;
    expect(sequence?.finishReason).toBe("abort");
    expect(sequence?.tokenIds).toEqual([]);
    // It ended within a step of the abort, not after the running request's 60 tokens.
    expect(tokensWhenCancelledEnded).toBeLessThanOrEqual(4);
    expect(batcher.queued).toBe(1);
    await Promise.all([head, blocked]);
    expect({ running: batcher.running, queued: batcher.queued }).toEqual({ running: 0, queued: 0 });
  });

  it("a request cancelled mid-decode leaves the running batch at the next step and frees its row", async () => {
    const sizes: number[] = [];
    const batcher = new ContinuousBatcher(runner, { maxSequences: 4, onStep: (n) => sizes.push(n) });
    const controller = new AbortController();
    let cancelledTokens = 0;
    const results = await Promise.all([
      batcher.submit(request(PROMPTS[0] as number[], { maxNewTokens: 12 })),
      batcher.submit(
        request(
          PROMPTS[1] as number[],
          { maxNewTokens: 12, signal: controller.signal },
          {
            onToken: () => {
              cancelledTokens += 1;
              if (cancelledTokens === 3) controller.abort();
            },
          },
        ),
      ),
    ]);
    expect(results[0]?.[0]?.finishReason).toBe("length");
    expect(results[0]?.[0]?.tokenIds).toHaveLength(12);
    expect(results[1]?.[0]?.finishReason).toBe("abort");
    expect(results[1]?.[0]?.tokenIds.length).toBeLessThanOrEqual(4);
    expect(sizes.slice(0, 2)).toEqual([2, 2]);
    expect(sizes.at(-1)).toBe(1);
    expect(batcher.running).toBe(0);
  });

  it("an onToken callback that throws fails its own request only; the others decode as if alone", async () => {
    const alone = [];
    for (const prompt of PROMPTS) alone.push(await new ContinuousBatcher(runner).submit(request(prompt, { maxNewTokens: 8 })));
    const batcher = new ContinuousBatcher(runner, { maxSequences: 8 });
    const boom = new Error("callback failed");
    const throwing = (at: number) => {
      let n = 0;
      return (_event: TokenEvent): void => {
        n += 1;
        if (n === at) throw boom;
      };
    };
    const settled = await Promise.allSettled([
      batcher.submit(request(PROMPTS[0] as number[], { maxNewTokens: 8 })),
      batcher.submit(request(PROMPTS[1] as number[], { maxNewTokens: 8 }, { onToken: throwing(1) })), // on its first token (prefill)
      batcher.submit(request(PROMPTS[2] as number[], { maxNewTokens: 8 }, { onToken: throwing(4) })), // mid-decode
      batcher.submit(request(PROMPTS[3] as number[], { maxNewTokens: 8 })),
    ]);
    expect(settled.map((s) => s.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect((settled[1] as PromiseRejectedResult).reason).toBe(boom);
    expect((settled[2] as PromiseRejectedResult).reason).toBe(boom);
    expect((settled[0] as PromiseFulfilledResult<unknown>).value).toEqual(alone[0]);
    expect((settled[3] as PromiseFulfilledResult<unknown>).value).toEqual(alone[3]);
    expect({ running: batcher.running, queued: batcher.queued }).toEqual({ running: 0, queued: 0 });
    // And it keeps serving.
    expect(await batcher.submit(request(PROMPTS[1] as number[], { maxNewTokens: 8 }))).toEqual(alone[1]);
  });

  it("a runner that fails rejects the requests in flight with its error and the batcher serves the next ones", async () => {
    let failPrefill = true;
    let failStep = false;
    const flaky: DecoderRunner = {
      prefill: (prompts, signal) => (failPrefill ? Promise.reject(new Error("prefill failed")) : runner.prefill(prompts, signal)),
      step: (cache, tokens, signal) => (failStep ? Promise.reject(new Error("step failed")) : runner.step(cache, tokens, signal)),
    };
    const batcher = new ContinuousBatcher(flaky);
    await expect(batcher.submit(request(PROMPTS[0] as number[], { maxNewTokens: 4 }))).rejects.toThrow("prefill failed");
    failPrefill = false;
    let n = 0;
    const failing = batcher.submit(
      request(
        PROMPTS[0] as number[],
        { maxNewTokens: 20 },
        {
          onToken: () => {
            n += 1;
            if (n === 3) failStep = true;
          },
        },
      ),
    );
    await expect(failing).rejects.toThrow("step failed");
    failStep = false;
    const [sequence] = await batcher.submit(request(PROMPTS[0] as number[], { maxNewTokens: 4 }));
    expect(sequence?.tokenIds).toHaveLength(4);
    expect({ running: batcher.running, queued: batcher.queued }).toEqual({ running: 0, queued: 0 });
  });
});
