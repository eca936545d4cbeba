import type { DecodingOptions, DownloadProgress, LoadOptions, ModelDtype } from "@proj/core";
import type { PipelineOptions } from "@proj/pipeline";
import type { Flags, ParsedArgs } from "./flags.js";
import { booleanFlag, choiceFlag, listFlag, numberFlag, stringFlag } from "./values.js";

const DTYPES: readonly ModelDtype[] = ["fp32", "fp16", "q8", "int8", "uint8", "q4", "q4f16", "bnb4"];

/** Flags every command has. */
export const OUTPUT_FLAGS: Flags = {
  json: { type: "boolean", description: "print the result as JSON (for scripts)" },
  quiet: { type: "boolean", short: "q", description: "no progress on stderr" },
  help: { type: "boolean", short: "h", description: "show this help" },
};

/** Flags of commands that load a model. */
export const MODEL_FLAGS: Flags = {
  model: {
    type: "string",
    short: "m",
    value: "id|folder",
    description: "model folder (Optimum layout) or Hub id; the task's default when omitted",
  },
  dtype: { type: "string", value: "dtype", description: `weight format: ${DTYPES.join(", ")} (default: fp32 when present)` },
  threads: { type: "string", value: "n", description: "ONNX Runtime threads" },
  device: { type: "string", value: "cpu|cuda|auto", description: "where the model runs (default cpu)" },
  revision: { type: "string", value: "rev", description: "Hub branch, tag or commit (default main)" },
  offline: { type: "boolean", description: "use only the Hugging Face cache (as HF_HUB_OFFLINE=1)" },
};

/** Decoding flags of the generating commands. */
export const DECODING_FLAGS: Flags = {
  "max-new-tokens": { type: "string", value: "n", description: "most tokens to generate" },
  "min-new-tokens": { type: "string", value: "n", description: "fewest tokens before the end may be chosen" },
  sample: { type: "boolean", description: "sample instead of taking the most likely token" },
  temperature: { type: "string", value: "t", description: "sampling temperature (> 0)" },
  "top-k": { type: "string", value: "k", description: "sample among the k most likely tokens" },
  "top-p": { type: "string", value: "p", description: "nucleus sampling: smallest set with probability p" },
  "min-p": { type: "string", value: "p", description: "drop tokens below p × the top token's probability" },
  "repetition-penalty": { type: "string", value: "x", description: "CTRL repetition penalty (> 1 discourages repeats)" },
  "presence-penalty": { type: "string", value: "x", description: "OpenAI presence penalty, -2 to 2" },
  "frequency-penalty": { type: "string", value: "x", description: "OpenAI frequency penalty, -2 to 2" },
  "no-repeat-ngram-size": { type: "string", value: "n", description: "never repeat an n-gram of this size" },
  "num-beams": { type: "string", value: "n", description: "beam search with n beams" },
  "length-penalty": { type: "string", value: "x", description: "beam search length exponent" },
  seed: { type: "string", value: "n", description: "seed of sampling (same seed, same text)" },
  stop: { type: "string", multiple: true, value: "text", description: "stop when this text is generated" },
  "max-time": { type: "string", value: "ms", description: "stop after this many milliseconds" },
};

/**
 * The pipeline options the model flags give: `{ model, load: { dtype, threads, device, hub } }`, the shape every
 * task function takes.
 *
 * @example
 * const options = pipelineOptions(args, "classify", (p) => progress.download(p));
 * // { model: "./models/sst2", load: { threads: 2, hub: { onProgress } } }
 */
export function pipelineOptions(args: ParsedArgs, command: string, onProgress?: (p: DownloadProgress) => void): PipelineOptions {
  const load: LoadOptions = {};
  const dtype = choiceFlag(args, "dtype", command, [...DTYPES, "auto"] as const);
  if (dtype !== undefined) load.dtype = dtype;
  const threads = numberFlag(args, "threads", command, { integer: true, min: 1 });
  if (threads !== undefined) load.threads = threads;
  const device = choiceFlag(args, "device", command, ["cpu", "cuda", "auto"] as const);
  if (device !== undefined) load.device = device;
  const revision = stringFlag(args, "revision");
  const offline = booleanFlag(args, "offline");
  if (revision !== undefined || offline || onProgress) {
    load.hub = {
      ...(revision !== undefined ? { revision } : {}),
      ...(offline ? { offline } : {}),
      ...(onProgress ? { onProgress } : {}),
    };
  }
  const model = stringFlag(args, "model");
  return { ...(model !== undefined ? { model } : {}), load };
}

/**
 * The decoding options the decoding flags give.
 *
 * @example
 * const decoding = decodingOptions(args, "generate"); // { maxNewTokens: 40, doSample: true, topP: 0.9 }
 */
export function decodingOptions(args: ParsedArgs, command: string): DecodingOptions {
  const o: DecodingOptions = {};
  const int = (name: string, min: number) => numberFlag(args, name, command, { integer: true, min });
  const set = <K extends keyof DecodingOptions>(key: K, value: DecodingOptions[K] | undefined): void => {
    if (value !== undefined) o[key] = value;
  };
  set("maxNewTokens", int("max-new-tokens", 1));
  set("minNewTokens", int("min-new-tokens", 0));
  if (booleanFlag(args, "sample")) o.doSample = true;
  set("temperature", numberFlag(args, "temperature", command, { min: 0, exclusiveMin: true }));
  set("topK", int("top-k", 0));
  set("topP", numberFlag(args, "top-p", command, { min: 0, max: 1, exclusiveMin: true }));
  set("minP", numberFlag(args, "min-p", command, { min: 0, max: 1 }));
  set("repetitionPenalty", numberFlag(args, "repetition-penalty", command, { min: 0, exclusiveMin: true }));
  set("presencePenalty", numberFlag(args, "presence-penalty", command, { min: -2, max: 2 }));
  set("frequencyPenalty", numberFlag(args, "frequency-penalty", command, { min: -2, max: 2 }));
  set("noRepeatNgramSize", int("no-repeat-ngram-size", 0));
  set("numBeams", int("num-beams", 1));
  set("lengthPenalty", numberFlag(args, "length-penalty", command));
  set("seed", int("seed", 0));
  set("stop", listFlag(args, "stop", false));
  set("maxTime", numberFlag(args, "max-time", command, { min: 0, exclusiveMin: true }));
  // Sampling flags imply sampling.
  if (o.temperature !== undefined || o.topP !== undefined || o.minP !== undefined || (o.topK ?? 0) > 0) o.doSample ??= true;
  return o;
}
