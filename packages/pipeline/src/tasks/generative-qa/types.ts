import type { FinishReason, GenerationCallOptions, GenerationMetrics, LoadedModel } from "@proj/core";

/**
 * A question, with the text that holds the answer (or without, to ask the model what it knows).
 *
 * @example
 * const input: GenerativeQuestion = { question: "Who wrote it?", context: "The novel was written by Mary Shelley in 1818." };
 */
export interface GenerativeQuestion {
  /** The question. */
  question: string;
  /** The text to answer from. Without it the model answers from what it learned (and may be wrong). */
  context?: string;
}

/**
 * Options of one generative answer: decoding options, and the instruction given to the model.
 *
 * @example
 * const options: GenerativeQACallOptions = { maxNewTokens: 48, numBeams: 2 };
 */
export interface GenerativeQACallOptions extends GenerationCallOptions {
  /**
   * The instruction before the context and question.
   * @defaultValue "Answer the question using only the context. If the context does not contain the answer, say so."
   */
  instruction?: string;
}

/**
 * A generated answer.
 *
 * @example
 * const { answer, finishReason } = await ask({ question, context }); // answer: "Mary Shelley"
 */
export interface GeneratedAnswer {
  /** The answer, trimmed. */
  answer: string;
  /** Its token ids. */
  tokenIds: number[];
  /** Why generation ended (`"stop"`, `"length"`, `"abort"`). */
  finishReason: FinishReason;
  /** Timings and counts of the call. */
  metrics: GenerationMetrics;
}

/**
 * A loaded model that answers questions by generating: a decoder (through its chat template when it has one) or
 * an encoder-decoder such as Flan-T5.
 *
 * @example
 * const ask = await pipeline("generative-qa");
 * ask.handle.kind; // "decoder"
 */
export interface GenerativeAnswerer {
  /** Which family generates the answers. */
  readonly kind: "decoder" | "encoder-decoder";
  /** The loaded model. */
  readonly model: LoadedModel;
  /** Answers one question. */
  answer(input: GenerativeQuestion, options?: GenerativeQACallOptions): Promise<GeneratedAnswer>;
  /** Releases the model. */
  dispose(): Promise<void>;
}

/** The default instruction. @internal */
export const DEFAULT_INSTRUCTION = "Answer the question using only the context. If the context does not contain the answer, say so.";
