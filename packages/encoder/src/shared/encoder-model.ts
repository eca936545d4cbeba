import {
  type Encoding,
  type LoadedModel,
  type LoadOptions,
  loadModel,
  ModelFormatError,
  type ModelSession,
  openModelSource,
  padBatch,
  type TensorMap,
} from "@proj/core";
import { buildFeeds, type FeedKind, feedKinds } from "./feeds.js";
import { peekFamily, requireEncoder } from "./family-check.js";
import { type HeadOutput, requireHead } from "./head.js";
import type { TaskInfo } from "./task.js";

/** Longest input when neither the tokenizer config nor the model config says (BERT's). */
const FALLBACK_MAX_LENGTH = 512;

/**
 * An encoder model opened for one task: the loaded model, its one graph, the inputs that graph declares,
 * its window and its pad id. Task handles own one and run batches through {@link EncoderModel.forward}.
 *
 * @example
 * const encoder = await EncoderModel.open("./models/sst2", {}, CLASSIFY_TASK, [{ name: "logits", rank: 2 }]);
 * @internal
 */
export class EncoderModel {
  /** The loaded model (configs, tokenizer, sessions). */
  readonly model: LoadedModel;
  /** The graph every forward pass runs. */
  readonly session: ModelSession;
  /** Longest input in tokens, special tokens included. */
  readonly maxLength: number;
  /** The id padding positions get. */
  readonly padId: number;
  readonly #kinds: FeedKind[];

  private constructor(model: LoadedModel, session: ModelSession, kinds: FeedKind[]) {
    this.model = model;
    this.session = session;
    this.#kinds = kinds;
    this.maxLength = modelWindow(model);
    this.padId = model.tokenizer.specialIds.pad ?? model.config.padTokenId ?? 0;
  }

  /**
   * Opens an encoder model for a task: refuses decoders and encoder-decoders before loading their weights,
   * then checks that the graph has the task's head and only inputs an encoder task can feed.
   */
  static async open(
    spec: string,
    options: { load?: LoadOptions | undefined; signal?: AbortSignal | undefined },
    task: TaskInfo,
    head: readonly HeadOutput[],
  ): Promise<EncoderModel> {
    const { load = {}, signal } = options;
    const source = openModelSource(spec, { ...load.hub, ...(signal ? { signal } : {}) });
    const peeked = await peekFamily(source, signal);
    if (peeked.family) requireEncoder(peeked.family, source.label, peeked.modelType, task);
    const model = await loadModel(source, {
      ...load,
      ...(peeked.family ? { family: peeked.family } : {}),
      ...(signal ? { signal } : {}),
    });
    try {
      requireEncoder(model.family, source.label, model.config.modelType, task);
      const graph = model.graphs[0];
      if (graph === undefined) throw new ModelFormatError(`${source.label} opened no ONNX graph`);
      const session = model.session(graph);
      requireHead(session, head, source.label, model.config.vocabSize, task);
      return new EncoderModel(model, session, feedKinds(session, source.label));
    } catch (error) {
      await model.dispose();
      throw error;
    }
  }

  /** Human-readable name of the model, for messages. */
  get label(): string {
    return this.model.source.label;
  }

  /**
   * Pads encodings into one batch (right side, the tokenizer's pad id), feeds exactly the inputs the graph
   * declares, and runs it.
   */
  async forward(
    encodings: readonly Encoding[],
    outputs: readonly string[],
    signal?: AbortSignal,
  ): Promise<{ outputs: TensorMap; width: number }> {
    const batch = padBatch(encodings, { padId: this.padId });
    const feeds = buildFeeds(this.#kinds, batch);
    const result = await this.session.run(feeds, { outputs, ...(signal ? { signal } : {}) });
    return { outputs: result, width: batch.dims[1] };
  }

  /** Releases the model's sessions. */
  dispose(): Promise<void> {
    return this.model.dispose();
  }
}

/** The model's window: the smaller of the tokenizer's `model_max_length` and the position embeddings. */
function modelWindow(model: LoadedModel): number {
  const limits = [model.tokenizer.modelMaxLength, model.config.maxPositionEmbeddings].filter(
    (v): v is number => v !== undefined && Number.isInteger(v) && v > 0,
  );
  return limits.length ? Math.min(...limits) : FALLBACK_MAX_LENGTH;
}
