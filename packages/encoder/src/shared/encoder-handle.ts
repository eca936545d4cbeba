import { DisposedError, InputError, type LoadedModel } from "@proj/core";
import type { EncoderModel } from "./encoder-model.js";
import type { HandleTask } from "./handles.js";

/**
 * What every task handle has: the model it owns, and `dispose()`.
 *
 * @example
 * const classifier = await createClassifier("./models/sst2");
 * classifier.model.config.id2label; // { 0: "NEGATIVE", 1: "POSITIVE" }
 * await classifier.dispose();
 */
export interface EncoderHandle {
  /** The task this handle serves. */
  readonly task: HandleTask;
  /** The loaded model: configs, tokenizer, sessions. */
  readonly model: LoadedModel;
  /** Longest input the model takes, in tokens (special tokens included). */
  readonly maxLength: number;
  /** True once {@link EncoderHandle.dispose} has run. */
  readonly disposed: boolean;
  /** Frees the model's native memory (shared sessions are freed by their last user). Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * Shared implementation of {@link EncoderHandle}.
 *
 * @example
 * class ClassifierHandle extends BaseHandle { readonly task = "classify" as const; }
 * @internal
 */
export abstract class BaseHandle implements EncoderHandle {
  abstract readonly task: HandleTask;
  protected readonly encoder: EncoderModel;
  #disposed = false;

  protected constructor(encoder: EncoderModel) {
    this.encoder = encoder;
  }

  get model(): LoadedModel {
    return this.encoder.model;
  }

  get maxLength(): number {
    return this.encoder.maxLength;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.encoder.dispose();
  }

  /** Throws {@link DisposedError} once disposed. */
  protected ensureOpen(): void {
    if (this.#disposed) throw new DisposedError(`The ${this.task} handle of ${this.encoder.label}`);
  }
}

/**
 * Checks the model argument of a `create*()` function: a non-empty string, or `undefined` for the task's default.
 *
 * @example
 * checkModelId("./models/sst2", "createClassifier", DEFAULT_CLASSIFY_MODEL); // "./models/sst2"
 * checkModelId(undefined, "createClassifier", DEFAULT_CLASSIFY_MODEL); // DEFAULT_CLASSIFY_MODEL
 * @internal
 */
export function checkModelId(model: unknown, fn: string, fallback: string): string {
  if (model === undefined) return fallback;
  if (typeof model === "string" && model.trim() !== "") return model;
  throw new InputError(
    `${fn}() expects a model folder or Hub id, got ${model === "" ? "an empty string" : model === null ? "null" : typeof model}`,
    {
      hint: `pass a folder in the Optimum ONNX layout or a Hub id, or omit it for the default "${fallback}"`,
    },
  );
}
