import type { GenerationResult, LoadedModel, TaskOptions, TextStream } from "@proj/core";
import type { Seq2SeqCallOptions } from "../shared/options.js";

/**
 * Options of {@link text2text}: decoding options plus the model to use, how to load it, and a signal.
 *
 * @example
 * await text2text("Answer the question: what is the capital of France?", { model: "Xenova/flan-t5-small", maxNewTokens: 16 });
 */
export interface Text2TextOptions extends Seq2SeqCallOptions, TaskOptions<Text2Text> {}

/**
 * A loaded encoder-decoder model that writes text from text (the Hub's `text2text-generation`: Flan-T5 answering
 * instructions, T5 with a task prefix you write yourself ...). Free it with {@link Text2Text.dispose}. Concurrent
 * calls decode together (continuous batching) unless they use beam search.
 *
 * @example
 * const t2t = await createText2Text("Xenova/flan-t5-small");
 * const { text } = await t2t.generate("Translate to German: Good morning");
 * await t2t.dispose();
 */
export interface Text2Text {
  /** The task this handle serves. */
  readonly task: "text2text";
  /** The loaded model (configs, tokenizer, sessions). */
  readonly model: LoadedModel;
  /** Longest input the encoder reads, in tokens. */
  readonly maxInputTokens: number;
  /** True once disposed. */
  readonly disposed: boolean;
  /** Writes the output for one input text. */
  generate(text: string, options?: Seq2SeqCallOptions): Promise<GenerationResult>;
  /** Writes the outputs for several input texts, decoded together. */
  generate(texts: string[], options?: Seq2SeqCallOptions): Promise<GenerationResult[]>;
  /** Streams the output for one input text as text deltas (in one piece with beam search). */
  stream(text: string, options?: Seq2SeqCallOptions): TextStream;
  /** Sequences decoding now and requests waiting to join them (continuous batching of concurrent calls). */
  batchStats(): { running: number; queued: number };
  /** Releases the model's sessions. */
  dispose(): Promise<void>;
}
