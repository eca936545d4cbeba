import type { LongInputStrategy, RecommendedModel, TaskRow } from "../tasks/types.js";

/**
 * What to do with inputs longer than the chosen model's window.
 *
 * @example
 * const advice = chooseArchitecture("text-classification", { maxInputTokens: 2000 }).longInput;
 * advice?.options; // { truncation: "window", stride: 128 }
 */
export interface LongInputAdvice {
  /** The task's strategy. */
  strategy: LongInputStrategy;
  /** The longest input asked about, in tokens. */
  inputTokens: number;
  /** The chosen model's window, in tokens. */
  windowTokens: number;
  /** Windows or chunks the longest input becomes (1 for strategies that keep a part of it). */
  pieces: number;
  /** The call options that turn the strategy on, as passed to the task function. */
  options: Readonly<Record<string, unknown>>;
  /** What happens, in a sentence or two. */
  explanation: string;
  /** Recommended models of the task whose window holds the whole input, best first. */
  longContextModels: string[];
}

/**
 * Advice for inputs of `inputTokens` on `model`, or `undefined` when they fit its window.
 *
 * @example
 * longInputAdvice(taskRow("summarization"), model, 5000)?.strategy; // "chunk"
 */
export function longInputAdvice(row: TaskRow, model: RecommendedModel, inputTokens: number): LongInputAdvice | undefined {
  const w = model.contextTokens;
  if (inputTokens <= w) return undefined;
  const longContextModels = row.models.filter((m) => m.contextTokens >= inputTokens).map((m) => m.id);
  const base = { strategy: row.longInput, inputTokens, windowTokens: w, longContextModels };
  switch (row.task) {
    case "text-classification": {
      const stride = Math.floor(w / 4);
      return {
        ...base,
        pieces: windows(inputTokens, w, stride),
        options: { truncation: "window", stride },
        explanation: `classify() keeps the first ${w} tokens by default; with { truncation: "window" } it scores overlapping windows of ${w} tokens (${stride} shared with the previous one) and averages their scores.`,
      };
    }
    case "token-classification": {
      const stride = Math.floor(w / 4);
      return {
        ...base,
        pieces: windows(inputTokens, w, stride),
        options: { maxLength: w, stride },
        explanation: `ner() splits the text into overlapping windows of ${w} tokens (${stride} shared) and stitches their entities, each entity once, with offsets into the whole text.`,
      };
    }
    case "question-answering": {
      const maxSeqLength = Math.min(384, w);
      const docStride = Math.min(128, Math.floor(maxSeqLength / 2));
      return {
        ...base,
        windowTokens: maxSeqLength,
        pieces: windows(inputTokens, maxSeqLength, docStride),
        options: { maxSeqLength, docStride },
        explanation: `answer() splits the context into windows of ${maxSeqLength} tokens (question included) overlapping by ${docStride}, and returns the best span over all windows.`,
      };
    }
    case "summarization":
      return {
        ...base,
        pieces: Math.ceil(inputTokens / Math.floor(w * 0.9)),
        options: {},
        explanation: `summarize() splits the document on sentence boundaries into chunks that fit the ${w}-token window, summarises each, then summarises the joined summaries: every part is read, nothing is cut silently.`,
      };
    case "translation":
      return {
        ...base,
        pieces: Math.ceil(inputTokens / Math.floor(w / 2)),
        options: {},
        explanation: `translation models are trained on sentences: split the text into sentences (or paragraphs under ${w} tokens) and pass them as an array; they are translated in batches.`,
      };
    case "feature-extraction":
    case "sentence-similarity": {
      const stride = Math.floor(w / 4);
      return {
        ...base,
        pieces: windows(inputTokens, w, stride),
        options: { truncation: "window", stride },
        explanation: `embed() refuses texts over ${w} tokens unless told: { truncation: "window" } embeds overlapping windows of ${w} tokens (${stride} shared) and returns the mean of their vectors; { truncation: "truncate" } embeds the first ${w} tokens.`,
      };
    }
    case "text-ranking":
    case "zero-shot-classification":
      return {
        ...base,
        pieces: 1,
        options: {},
        explanation:
          row.task === "text-ranking"
            ? `rerank() keeps the query whole and reads the first tokens of each document that fit the ${w}-token pair; split long documents into passages and rerank those.`
            : `classifyZeroShot() reads the first tokens of the text that fit the ${w}-token pair with its hypothesis; classify long texts by paragraph.`,
      };
    case "fill-mask":
    case "bias-audit":
      return {
        ...base,
        pieces: 1,
        options: {},
        explanation: `only the text near the mask matters: keep the sentence or paragraph around it (under ${w} tokens)${longContextModels.length ? `, or use ${longContextModels[0]}` : ""}.`,
      };
    default:
      return {
        ...base,
        pieces: 1,
        options: { truncatePrompt: "left" },
        explanation:
          `the prompt plus the generated tokens must fit the ${w}-token context: { truncatePrompt: "left" } keeps the most recent tokens` +
          (longContextModels.length
            ? `, or choose a long-context model (${longContextModels.join(", ")}).`
            : `; for the whole input, choose a model with a longer context.`),
      };
  }
}

/** Windows of `w` tokens overlapping by `stride` that cover `n` tokens. */
function windows(n: number, w: number, stride: number): number {
  if (n <= w) return 1;
  return 1 + Math.ceil((n - w) / Math.max(1, w - stride));
}
