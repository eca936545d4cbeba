/**
 * The cost of constrained decoding (`responseFormat`) on the bench-size GPT-2, side by side in one process:
 *
 * - per-token decode time (TPOT, the mean gap between generated tokens) of greedy generation with a JSON-schema
 *   constraint against the same generation without one, in alternating rounds (each round: one unconstrained and
 *   one constrained call of the same length budget); the ratio of the two is the masking overhead per token;
 * - grammar compile time: the first compile for the tokenizer (which prepares the vocabulary for XGrammar), a new
 *   schema after that, and a cached one;
 * - how many decode steps a grammar forces (exactly one token allowed);
 * - jump-forward decoding (`jumpForward: true`): forward passes (decode steps, counted by `batching.onStep`), tokens
 *   and wall time of the same constrained call with and without it, in the same alternating rounds.
 *
 * Every constrained output is parsed and checked against the schema's required keys.
 *
 *   node benchmarks/constrained.mjs [--threads 2] [--reps 5] [--tokens 48] [--out benchmarks/results/constrained.json]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { compileResponseFormat } from "@proj/core/internal";
import { createGenerator } from "@proj/decoder";
import { modelDir, REPO_ROOT } from "./lib/context.mjs";
import { summarize } from "./lib/stats.mjs";

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: "2" },
    reps: { type: "string", default: "5" },
    tokens: { type: "string", default: "48" },
    out: { type: "string", default: join(REPO_ROOT, "benchmarks", "results", "constrained.json") },
  },
});
const threads = Number(args.threads);
const reps = Number(args.reps);
const maxNewTokens = Number(args.tokens);
const dir = modelDir("decoder", "bench");

/** A record with long keys, enums, bounded strings and integers: what structured extraction asks for. */
const SCHEMA = {
  type: "object",
  properties: {
    customer_full_name: { type: "string", maxLength: 24 },
    order_identifier: { type: "integer", minimum: 0, maximum: 99999 },
    delivery_status: { enum: ["pending", "shipped", "delivered", "returned"] },
    items_in_the_order: { type: "array", items: { type: "string", maxLength: 12 }, maxItems: 2 },
  },
  required: ["customer_full_name", "order_identifier", "delivery_status", "items_in_the_order"],
  additionalProperties: false,
};
const OTHER = { type: "object", properties: { answer: { type: "boolean" } }, required: ["answer"], additionalProperties: false };

let passes = 0;
const generator = await createGenerator(dir, { load: { threads }, batching: { onStep: () => void passes++ } });
/** A call's result and the decode steps (forward passes after the prefill) it took. */
async function counted(run) {
  passes = 0;
  const result = await run();
  return { result, passes };
}
const tokenizer = generator.model.tokenizer;

// Compile times: cold (vocabulary prepared for this tokenizer), a new schema, a cached one.
const time = async (fn) => {
  const start = performance.now();
  await fn();
  return performance.now() - start;
};
const compile = {
  coldMs: await time(() => compileResponseFormat(tokenizer, { type: "json_schema", schema: SCHEMA })),
  newSchemaMs: await time(() => compileResponseFormat(tokenizer, { type: "json_schema", schema: OTHER })),
  cachedMs: await time(() => compileResponseFormat(tokenizer, { type: "json_schema", schema: SCHEMA })),
};

// Forced steps: a matcher walked along an output, counting the steps where exactly one token is allowed.
async function forcedSteps(tokenIds) {
  const grammar = await compileResponseFormat(tokenizer, { type: "json_schema", schema: SCHEMA });
  const eos = generator.model.config.eosTokenIds;
  const matcher = await grammar.matcher(eos);
  const logits = new Float32Array(generator.model.config.vocabSize ?? tokenizer.vocabSize);
  let forced = 0;
  for (const token of tokenIds) {
    logits.fill(0);
    await matcher.mask(logits);
    let allowed = 0;
    for (const v of logits) if (v !== Number.NEGATIVE_INFINITY && ++allowed > 1) break;
    if (allowed === 1) forced++;
    matcher.accept(token);
  }
  matcher.dispose();
  return forced;
}

const prompt = "Order record as JSON:";
const rounds = [];
// One warm-up of each, then alternating rounds.
await generator.generate(prompt, { maxNewTokens: 8, eosTokenId: [] });
await generator.generate(prompt, { maxNewTokens: 8, responseFormat: { type: "json_schema", schema: SCHEMA } });
for (let r = 0; r < reps; r++) {
  const free = await generator.generate(prompt, { maxNewTokens, eosTokenId: [] });
  const { result: constrained, passes: constrainedPasses } = await counted(() =>
    generator.generate(prompt, { maxNewTokens: 160, responseFormat: { type: "json_schema", schema: SCHEMA } }),
  );
  const { result: jumped, passes: jumpedPasses } = await counted(() =>
    generator.generate(prompt, { maxNewTokens: 160, responseFormat: { type: "json_schema", schema: SCHEMA }, jumpForward: true }),
  );
  for (const key of SCHEMA.required)
    if (!(key in JSON.parse(jumped.text))) throw new Error(`round ${r}: ${key} missing from ${jumped.text}`);
  if (constrained.finishReason !== "stop")
    throw new Error(`round ${r}: the constrained output was cut (${constrained.tokenIds.length} tokens)`);
  const object = JSON.parse(constrained.text);
  for (const key of SCHEMA.required) if (!(key in object)) throw new Error(`round ${r}: ${key} missing from ${constrained.text}`);
  rounds.push({
    freeTpotMs: free.metrics.tpot?.mean,
    constrainedTpotMs: constrained.metrics.tpot?.mean,
    ratio: (constrained.metrics.tpot?.mean ?? Number.NaN) / (free.metrics.tpot?.mean ?? Number.NaN),
    constrainedTokens: constrained.tokenIds.length,
    forcedSteps: r === 0 ? await forcedSteps(constrained.tokenIds) : undefined,
    constrainedPasses,
    constrainedMs: constrained.metrics.totalMs,
    jumpTokens: jumped.tokenIds.length,
    jumpPasses: jumpedPasses,
    jumpMs: jumped.metrics.totalMs,
    jumpSpeedup: constrained.metrics.totalMs / jumped.metrics.totalMs,
    jumpTokensPerPass: jumped.tokenIds.length / Math.max(jumpedPasses, 1),
  });
  process.stderr.write(`round ${r + 1}/${reps}: ${JSON.stringify(rounds.at(-1))}\n`);
}
await generator.dispose();

const first = rounds[0];
const result = {
  date: new Date().toISOString(),
  model: "bench-size GPT-2 (12 layers, n_embd 768, 50,257 tokens, random weights)",
  threads,
  reps,
  compile,
  tpot: {
    unconstrainedMs: summarize(rounds.map((r) => r.freeTpotMs)),
    constrainedMs: summarize(rounds.map((r) => r.constrainedTpotMs)),
    ratio: summarize(rounds.map((r) => r.ratio)),
  },
  forced: { steps: first.forcedSteps, of: first.constrainedTokens },
  jumpForward: {
    withoutPasses: summarize(rounds.map((r) => r.constrainedPasses)),
    withoutTokens: summarize(rounds.map((r) => r.constrainedTokens)),
    withPasses: summarize(rounds.map((r) => r.jumpPasses)),
    withTokens: summarize(rounds.map((r) => r.jumpTokens)),
    tokensPerPass: summarize(rounds.map((r) => r.jumpTokensPerPass)),
    wallSpeedup: summarize(rounds.map((r) => r.jumpSpeedup)),
  },
};
mkdirSync(dirname(args.out), { recursive: true });
writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
