import { MODEL_LABELS, modelDir, promptsOfLength, sst2Dev } from "../lib/context.mjs";
import { floorDecoder, projDecoder, SAMPLING, tjsDecoder } from "../lib/decoder-contenders.mjs";
import { openTokenizer } from "../lib/floor.mjs";
import { measureCase } from "../lib/harness.mjs";

/**
 * Runs the same generate call on each contender (models are loaded once per model size, not per case); the
 * warm-up is the same call with at most 16 new tokens (same prompt shapes, a fraction of the time).
 */
export function generationCase(contenders, prompts, settings) {
  const warm = { ...settings, maxNewTokens: Math.min(16, settings.maxNewTokens) };
  return contenders.map((c) => ({ id: c.id, run: () => c.generate(prompts, settings), warmup: () => c.generate(prompts, warm) }));
}

/** Loads the contenders of one model, runs `body`, and always frees them. */
export async function withDecoders(dir, threads, body) {
  const contenders = [projDecoder(dir, threads), tjsDecoder(dir, threads), floorDecoder(dir, threads)];
  try {
    for (const c of contenders) await c.setup();
    return await body(contenders);
  } finally {
    for (const c of contenders) await c.teardown();
  }
}

/** Prompts of an exact token length, from SST-2 sentences, with the model's own tokenizer. */
export async function decoderPrompts(dir, count, length) {
  const tokenizer = openTokenizer(dir);
  const encode = async (text) => (await tokenizer.encode(text, null, { addSpecialTokens: false })).getIds();
  const decode = (ids) => tokenizer.decode(ids, false);
  return promptsOfLength(sst2Dev(), count, length, encode, decode);
}

/** Scenario 2: one prompt, 128 new tokens: TTFT, TPOT and tokens/s; greedy from 32 and 512 tokens, and sampling. */
export default {
  name: "generation",
  title: "Generation: 128 new tokens from one prompt",
  description:
    "One prompt at a time, 128 new tokens (end-of-sequence ignored in all three, so the work is equal). Greedy from a 32-token and a " +
    `512-token prompt, and top-p sampling (temperature ${SAMPLING.temperature}, top-p ${SAMPLING.topP}) with presence and frequency ` +
    `penalties ${SAMPLING.presencePenalty}, and top-k 50 sampling with the same penalties (what transformers.js really does in both: ` +
    "it ignores top_p and samples among its default top_k 50; see the notes); the floor " +
    "stays greedy: its forward passes are the same. TTFT is measured from the call to the first generated token, TPOT is the mean " +
    "time per later token; tokens/s is new tokens over the whole call's wall time.",
  async run(ctx) {
    const cases = [];
    const maxNewTokens = ctx.quick ? 64 : 128;
    for (const size of ctx.sizes) {
      const dir = modelDir("decoder", size);
      const [short] = await decoderPrompts(dir, 1, 32);
      const [long] = await decoderPrompts(dir, 1, ctx.quick ? 256 : 512);
      await withDecoders(dir, ctx.threads, async (contenders) => {
        const variants = [
          { label: "greedy, 32-token prompt", prompt: short, settings: { maxNewTokens } },
          { label: `greedy, ${ctx.quick ? 256 : 512}-token prompt`, prompt: long, settings: { maxNewTokens } },
          { label: "top-p sampling + penalties, 32-token prompt", prompt: short, settings: { maxNewTokens, sample: true } },
          {
            label: "top-k 50 sampling + penalties, 32-token prompt",
            prompt: short,
            settings: { maxNewTokens, sample: true, topP: false, topK: 50 },
          },
        ];
        for (const v of variants) {
          ctx.log(`generation ${size}: ${v.label}`);
          const result = await measureCase({
            name: `${size}: ${v.label}`,
            unit: "tokens",
            contenders: generationCase(contenders, [v.prompt], v.settings),
            warmup: ctx.warmup,
            reps: ctx.reps(size),
            log: ctx.log,
          });
          const notes = [];
          if (v.settings.sample) {
            result.consistent = undefined; // different samplers: outputs differ by design
            notes.push("transformers.js: repetition_penalty 1.2 instead of presence/frequency penalties, which it lacks");
            if (v.settings.topP !== false)
              notes.push(
                "transformers.js 4.3.2 takes top_p but does not apply it (its TopPLogitsWarper is not wired in): it samples among its default top_k 50, while @proj computes the nucleus over the whole vocabulary",
              );
          }
          cases.push({ ...result, size, model: MODEL_LABELS[`decoder:${size}`], variant: v.label, maxNewTokens, notes });
        }
      });
    }
    return { cases };
  },
};
