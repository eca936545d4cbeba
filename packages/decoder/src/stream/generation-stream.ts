import { ResultStream, type TokenEvent } from "@proj/core";
import type { GenerationResult } from "../generate/options.js";

/** One piece of a streamed generation. */
export interface StreamChunk {
  /** New text (may be empty while a character or a possible stop string is incomplete). */
  text: string;
  /** The token that produced it (for text delivered in one piece at the end, as with beam search: the last token). */
  tokenId: number;
}

/**
 * A generation in progress: iterate it for text deltas as tokens are produced, and await
 * {@link GenerationStream.result} for the final result with metrics. The deltas add up to the result's text: the
 * first sequence's (other sequences of `numReturnSequences` are in `result.sequences`), and with beam search the
 * text arrives in one piece when the search ends.
 *
 * @example
 * const s = stream("Once upon a time", { maxNewTokens: 50 });
 * for await (const chunk of s) process.stdout.write(chunk.text);
 * const { finishReason, metrics } = await s.result;
 */
export class GenerationStream extends ResultStream<StreamChunk, GenerationResult> {
  /** @param run - starts the generation, reporting each token through `onToken`. */
  constructor(run: (onToken: (event: TokenEvent) => void) => Promise<GenerationResult>) {
    let streamed = "";
    super(
      (push) =>
        run((event) => {
          if (event.input !== 0 || event.sequence !== 0) return;
          streamed += event.text;
          push({ text: event.text, tokenId: event.tokenId });
        }),
      (result) =>
        result.text.startsWith(streamed) && result.text.length > streamed.length
          ? [{ text: result.text.slice(streamed.length), tokenId: result.tokenIds.at(-1) as number }]
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
