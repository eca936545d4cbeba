import type { InferenceSession, Tensor } from "onnxruntime-node";
import { DisposedError, InputError, SessionError, throwIfAborted } from "../errors.js";

/** Tensors by input or output name. */
export type TensorMap = Record<string, Tensor>;

/** Declared type and shape of one graph input or output. */
export interface IoSpec {
  /** Input or output name, e.g. `"input_ids"`. */
  name: string;
  /** Element type, e.g. `"int64"`, `"float32"`; `undefined` for non-tensor values. */
  type: Tensor.Type | undefined;
  /** Dimensions: numbers for fixed sizes, strings for symbolic ones (`"batch_size"`). */
  shape: ReadonlyArray<number | string>;
}

/** Options of one {@link ModelSession.run}. */
export interface RunOptions {
  /** Checked before and after the forward pass. */
  signal?: AbortSignal;
  /** Output names to compute; all outputs when omitted. */
  outputs?: readonly string[];
}

/**
 * One ONNX graph loaded into ONNX Runtime, with feeds checked against its declared inputs.
 * Shared by every handle that uses the same file in this process: one session per file and options, freed when the last handle using it is disposed.
 */
export class ModelSession {
  /** Absolute path of the `.onnx` file. */
  readonly file: string;
  /** Declared inputs, in graph order. */
  readonly inputs: readonly IoSpec[];
  /** Declared outputs, in graph order. */
  readonly outputs: readonly IoSpec[];
  /** Execution provider the session runs on. */
  readonly provider: "cpu" | "cuda";
  /**
   * True when the graph was rewritten at load so that `logits` holds only the last position, `[batch, 1, vocab]`
   * (decoder graphs opened for generation); false for the graph as exported.
   */
  readonly lastPositionLogits: boolean;
  readonly #session: InferenceSession;
  readonly #inputByName: Map<string, IoSpec>;
  #disposed = false;

  constructor(file: string, session: InferenceSession, provider: "cpu" | "cuda", lastPositionLogits = false) {
    this.file = file;
    this.lastPositionLogits = lastPositionLogits;
    this.#session = session;
    this.provider = provider;
    this.inputs = describe(session.inputNames, session.inputMetadata);
    this.outputs = describe(session.outputNames, session.outputMetadata);
    this.#inputByName = new Map(this.inputs.map((spec) => [spec.name, spec]));
  }

  /** Input names, in graph order. */
  get inputNames(): string[] {
    return this.inputs.map((i) => i.name);
  }

  /** Output names, in graph order. */
  get outputNames(): string[] {
    return this.outputs.map((o) => o.name);
  }

  /** True when the graph declares this input. */
  hasInput(name: string): boolean {
    return this.#inputByName.has(name);
  }

  /** True once the native session has been released. */
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Runs the graph. Every declared input must be fed, with its declared type and rank.
   *
   * @example
   * const { logits } = await session.run({ input_ids, attention_mask });
   */
  async run(feeds: TensorMap, options: RunOptions = {}): Promise<TensorMap> {
    if (this.#disposed) throw new DisposedError(`The session of ${this.file}`);
    throwIfAborted(options.signal);
    this.checkFeeds(feeds);
    let result: TensorMap;
    try {
      result = options.outputs ? await this.#session.run(feeds, options.outputs as string[]) : await this.#session.run(feeds);
    } catch (error) {
      if (this.#disposed) throw new DisposedError(`The session of ${this.file}`, { cause: error });
      throw new SessionError(`ONNX Runtime failed to run ${this.file}: ${(error as Error).message}`, {
        hint: "check that the model's inputs match what its config describes (vocabulary size, heads, cache shapes)",
        cause: error,
      });
    }
    throwIfAborted(options.signal);
    return result;
  }

  /** Throws {@link InputError} when feeds miss a declared input, add an unknown one, or have a wrong type or rank. */
  checkFeeds(feeds: TensorMap): void {
    const missing = this.inputs.filter((i) => !(i.name in feeds)).map((i) => i.name);
    if (missing.length) {
      throw new InputError(`${this.file} needs the inputs ${missing.map((m) => `"${m}"`).join(", ")}, which were not fed`, {
        hint: `feed every declared input: ${this.inputNames.join(", ")}`,
      });
    }
    for (const [name, tensor] of Object.entries(feeds)) {
      const spec = this.#inputByName.get(name);
      if (!spec) {
        throw new InputError(`${this.file} has no input "${name}"`, {
          hint: `its inputs are ${this.inputNames.join(", ")}`,
        });
      }
      if (spec.type && tensor.type !== spec.type) {
        throw new InputError(`Input "${name}" of ${this.file} must be ${spec.type}, got ${tensor.type}`);
      }
      if (spec.shape.length && tensor.dims.length !== spec.shape.length) {
        throw new InputError(
          `Input "${name}" of ${this.file} must have ${spec.shape.length} dimensions [${spec.shape.join(", ")}], got [${tensor.dims.join(", ")}]`,
        );
      }
      spec.shape.forEach((dim, axis) => {
        if (typeof dim === "number" && dim >= 0 && tensor.dims[axis] !== dim) {
          throw new InputError(`Input "${name}" of ${this.file} must have size ${dim} on axis ${axis}, got [${tensor.dims.join(", ")}]`);
        }
      });
    }
  }

  /** Releases the native session. Called by the session pool when the last user lets go. */
  async release(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#session.release();
  }
}

function describe(names: readonly string[], metadata: readonly InferenceSession.ValueMetadata[] | undefined): IoSpec[] {
  return names.map((name, index) => {
    const meta = metadata?.find((m) => m.name === name) ?? metadata?.[index];
    if (meta?.isTensor) return { name, type: meta.type, shape: meta.shape };
    return { name, type: undefined, shape: [] };
  });
}
