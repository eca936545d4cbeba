import { MODEL_LABELS, modelDir, sst2Dev } from "../lib/context.mjs";
import { measureCase } from "../lib/harness.mjs";
import { generationCase, withDecoders } from "./generation.mjs";

/** Scenario 3: 1, 4 and 16 prompts in one call: total tokens/s. */
export default {
  name: "batched-generation",
  title: "Batched generation: 1, 4 and 16 prompts in one call",
  description:
    "One `generate` call with several prompts (SST-2 sentences of their natural lengths, left-padded), greedy, end-of-sequence ignored, " +
    "each prompt getting the same number of new tokens. Figures are total new tokens per second of the call.",
  async run(ctx) {
    const cases = [];
    const sentences = sst2Dev();
    const maxNewTokens = ctx.quick ? 32 : 64;
    for (const size of ctx.sizes) {
      const dir = modelDir("decoder", size);
      await withDecoders(dir, ctx.threads, async (contenders) => {
        for (const count of [1, 4, 16]) {
          const prompts = sentences.slice(100, 100 + count);
          ctx.log(`batched-generation ${size}: ${count} prompts`);
          const result = await measureCase({
            name: `${size}: ${count} prompt${count > 1 ? "s" : ""}`,
            unit: "tokens",
            contenders: generationCase(contenders, prompts, { maxNewTokens }),
            warmup: ctx.warmup,
            reps: ctx.reps(size),
            log: ctx.log,
          });
          cases.push({
            ...result,
            size,
            model: MODEL_LABELS[`decoder:${size}`],
            variant: `${count} prompt${count > 1 ? "s" : ""}`,
            prompts: count,
            maxNewTokens,
            latency: false,
          });
        }
      });
    }
    return { cases };
  },
};
