import { type ArchitectureFamily, detectFamily, InputError, type ModelSource, readModelConfig } from "@proj/core";
import type { TaskInfo } from "./task.js";

/** What to use instead, per family that is not an encoder. */
const INSTEAD: Record<Exclude<ArchitectureFamily, "encoder">, string> = {
  decoder: "a decoder-only model generates text: use @proj/decoder (generate) for it",
  "encoder-decoder": "an encoder-decoder model maps text to text: use @proj/seq2seq (translate, summarize) for it",
};

/**
 * The family a config tells, and its model type.
 *
 * @example
 * const peeked: PeekedFamily = { family: "decoder", modelType: "gpt2" };
 * @internal
 */
export interface PeekedFamily {
  family: ArchitectureFamily | undefined;
  modelType: string;
}

/**
 * Reads the model's `config.json` and tells its architecture family before any ONNX session is opened,
 * so that a wrong model fails fast (and a large decoder is not loaded just to be refused).
 * `family` is `undefined` when the config alone does not tell (the loader then decides from the files).
 *
 * @example
 * await peekFamily(openModelSource("./models/gpt2"), undefined); // { family: "decoder", modelType: "gpt2" }
 * @internal
 */
export async function peekFamily(source: ModelSource, signal: AbortSignal | undefined): Promise<PeekedFamily> {
  const config = await readModelConfig(await source.resolveFile("config.json", signal ? { signal } : {}));
  try {
    return { family: detectFamily(config, []), modelType: config.modelType };
  } catch {
    return { family: undefined, modelType: config.modelType };
  }
}

/**
 * Throws {@link InputError} when a model is not an encoder (BERT-family) model, naming its family and what to use.
 *
 * @example
 * requireEncoder("decoder", label, "gpt2", CLASSIFY_TASK); // throws InputError
 * @internal
 */
export function requireEncoder(family: ArchitectureFamily, label: string, modelType: string, task: TaskInfo): void {
  if (family === "encoder") return;
  throw new InputError(
    `${task.fn}() needs an encoder (BERT-family) model for ${task.what}, but ${label} is a ${family} model (model_type "${modelType}")`,
    { hint: `${INSTEAD[family]}; for ${task.what} pass an encoder model such as "${task.example}"` },
  );
}
