import {
  type ArchitectureFamily,
  detectFamily,
  InputError,
  type LoadedModel,
  type LoadModelOptions,
  loadModel,
  type ModelSource,
  type ModelSpec,
  openModelSource,
  readModelConfig,
} from "@proj/core";

/** Which task function opens a model, for messages. @internal */
export interface TaskInfo {
  /** The function name, e.g. `"translate"`. */
  fn: string;
  /** What the task does, e.g. `"translation"`. */
  what: string;
  /** A model id that works, for hints. */
  example: string;
}

const INSTEAD: Record<Exclude<ArchitectureFamily, "encoder-decoder">, string> = {
  encoder: "an encoder (BERT-family) model classifies and tags text: use @proj/encoder for it",
  decoder: "a decoder-only model continues text: use @proj/decoder (generate, chat) for it",
};

/**
 * Loads an encoder-decoder model for a task. A model of another family is refused with an {@link InputError}
 * as soon as its `config.json` is read, before any ONNX file is opened or downloaded.
 *
 * @internal
 */
export async function openSeq2SeqModel(spec: ModelSpec, load: LoadModelOptions, task: TaskInfo): Promise<LoadedModel> {
  if (typeof spec === "string" && spec.trim() === "") {
    throw new InputError(`${task.fn}() was given an empty model id`, {
      hint: `omit model for the default, or pass a folder or Hub id such as "${task.example}"`,
    });
  }
  const signal = load.signal;
  const source: ModelSource = openModelSource(spec, { ...load.hub, ...(signal ? { signal } : {}) });
  const config = await readModelConfig(await source.resolveFile("config.json", signal ? { signal } : {}));
  let family: ArchitectureFamily | undefined;
  try {
    family = load.family ?? detectFamily(config, []);
  } catch {
    family = undefined;
  }
  if (family !== undefined) requireEncoderDecoder(family, source.label, config.modelType, task);
  const model = await loadModel(source, load);
  if (model.family !== "encoder-decoder") {
    await model.dispose();
    requireEncoderDecoder(model.family, source.label, config.modelType, task);
  }
  return model;
}

/**
 * Throws {@link InputError} when a model is not an encoder-decoder, naming its family and what to use instead.
 *
 * @internal
 */
export function requireEncoderDecoder(family: ArchitectureFamily, label: string, modelType: string, task: TaskInfo): void {
  if (family === "encoder-decoder") return;
  throw new InputError(
    `${task.fn}() needs an encoder-decoder model for ${task.what}, but ${label} is an ${family} model (model_type "${modelType}")`,
    {
      hint: `${INSTEAD[family]}; for ${task.what} pass an encoder-decoder model such as "${task.example}"`,
    },
  );
}
