import { ResultStream } from "./result-stream.js";
import type { GenerationResult } from "./result.js";
import type { TokenLogprob } from "./logprobs/token-logprob.js";
import type { TokenEvent } from "./types.js";

/**
 * One piece of streamed text.
 *
 * @example
 * for await (const chunk of stream("Once upon a time")) process.stdout.write(chunk.text);
 */
export interface TextChunk {
  /** New text (may be `""` while a character or a possible stop string is incomplete). */
  text: string;
  /**
   * The token that completed it. For text delivered in one piece at the end (beam search, text held back until
   * the end), the last generated token, or `undefined` when there is none; a remote generator that was not asked
   * for token ids reports `-1`.
   */
  tokenId: number | undefined;
  /** With `logprobs`: the token's log-probability and the step's best alternatives (none on text delivered at the end). */
  logprob?: TokenLogprob;
}

/**
 * A generation in progress: iterate it for text deltas as tokens are generated, and await {@link TextStream.result}
 * for the final result with metrics. The deltas always add up to the result's text (the first sequence's, when
 * `numReturnSequences` asks for more); with beam search, whose beams change until the end, the text arrives in one
 * piece when the search ends. The one stream of every generative task (generate, chat, translate, summarize,
 * text-to-text), local or remote.
 *
 * @typeParam R - the task's result type ({@link GenerationResult} or one that extends it, such as a translation).
 * @example
 * const s = stream("Once upon a time", { maxNewTokens: 50 });
 * for await (const chunk of s) process.stdout.write(chunk.text);
 * const { finishReason, metrics } = await s.result;
 */
export class TextStream<R extends GenerationResult = GenerationResult> extends ResultStream<TextChunk, R> {
  /** @param run - starts the work, reporting each token of the streamed input through `onToken`. */
  constructor(run: (onToken: (event: TokenEvent) => void) => Promise<R>) {
    let streamed = "";
    super(
      (push) =>
        run((event) => {
          if (event.input !== 0 || event.sequence !== 0) return; // the result's text is the first sequence's
          streamed += event.text;
          push({ text: event.text, tokenId: event.tokenId, ...(event.logprob ? { logprob: event.logprob } : {}) });
        }),
      // Whatever the token events did not deliver (beam search, text held back at the end) comes last.
      (result) =>
        result.text.startsWith(streamed) && result.text.length > streamed.length
          ? [{ text: result.text.slice(streamed.length), tokenId: result.tokenIds.at(-1) }]
          : [],
    );
  }

  /**
   * The whole text, once generation ends.
   *
   * @example
   * const text = await stream("Hello").text();
   */
  async text(): Promise<string> {
    return (await this.result).text;
  }
}

/**
 * Calls both token callbacks: the caller's own `onToken`, then the stream's.
 *
 * @example
 * const onToken = chainTokenCallbacks(options.onToken, streamOnToken);
 * @internal
 */
export function chainTokenCallbacks<E>(first: ((event: E) => void) | undefined, second: (event: E) => void): (event: E) => void {
  if (!first) return second;
  return (event) => {
    first(event);
    second(event);
  };
}
