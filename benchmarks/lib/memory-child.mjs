/**
 * One contender doing one workload many times in a process of its own, printing its RSS as it goes, so each
 * contender's memory is measured alone. Started by scenarios/memory.mjs:
 *
 *   node --expose-gc benchmarks/lib/memory-child.mjs <contender> <classify|generate> <modelDir> <calls> <threads> <newTokens> <settle>
 *
 * Prints one JSON line: { rssAfterLoad, checkpoints: [{ calls, rss }], peakRss } (bytes).
 */
import { createClassifier } from "@proj/encoder";
import { createGenerator } from "@proj/decoder";
import { loadTransformers, readConfig, sst2Dev, tjsOptions } from "./context.mjs";
import { causalGreedy, causalShape, encodeAll, encoderBatch, kvEntries, openSession, openTokenizer } from "./floor.mjs";

const [contender, workload, dir, callsArg, threadsArg, newTokensArg, settleArg] = process.argv.slice(2);
const settle = Number(settleArg ?? 100);
const calls = Number(callsArg);
const threads = Number(threadsArg);
const newTokens = Number(newTokensArg);
const texts = sst2Dev();

async function makeCall() {
  if (workload === "classify") {
    if (contender === "proj") {
      const classifier = await createClassifier(dir, { load: { threads } });
      return (text) => classifier.classify(text);
    }
    if (contender === "transformers.js") {
      const { pipeline } = await loadTransformers();
      const pipe = await pipeline("text-classification", dir, tjsOptions(threads));
      return (text) => pipe(text);
    }
    const session = await openSession(`${dir}/onnx/model.onnx`, threads);
    const tokenizer = openTokenizer(dir);
    return async (text) => encoderBatch(session, await encodeAll(tokenizer, [text]));
  }
  if (contender === "proj") {
    const generator = await createGenerator(dir, { load: { threads } });
    return (text) => generator.generate(text, { maxNewTokens: newTokens, eosTokenId: [] });
  }
  if (contender === "transformers.js") {
    const { pipeline } = await loadTransformers();
    const pipe = await pipeline("text-generation", dir, tjsOptions(threads));
    return (text) => pipe(text, { max_new_tokens: newTokens, do_sample: false, eos_token_id: null });
  }
  const config = readConfig(dir);
  const session = await openSession(`${dir}/onnx/model.onnx`, threads);
  const tokenizer = openTokenizer(dir);
  const entries = kvEntries(session, causalShape(config));
  return async (text) => {
    const ids = await encodeAll(tokenizer, [text], false);
    const out = await causalGreedy(session, entries, ids, newTokens, config.pad_token_id ?? 0);
    return tokenizer.decodeBatch(out.generated, true);
  };
}

function rss() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().rss;
}

const call = await makeCall();
const rssAfterLoad = rss();
const marks = new Set([1, settle, Math.round(calls / 4), Math.round(calls / 2), Math.round((3 * calls) / 4), calls]);
const checkpoints = [];
const started = performance.now();
for (let i = 1; i <= calls; i++) {
  await call(texts[i % texts.length]);
  if (marks.has(i)) checkpoints.push({ calls: i, rss: rss() });
}
process.stdout.write(
  `${JSON.stringify({ rssAfterLoad, checkpoints, peakRss: process.resourceUsage().maxRSS * 1024, seconds: (performance.now() - started) / 1000 })}\n`,
);
process.exit(0);
