import { ResultStream, type TokenEvent } from "@proj/core";
import type { Seq2SeqResult } from "./options.js";

/**
 * One piece of streamed output text.
 *
 * @example
 * for await (const chunk of translateStream("Hello", { to: "de" })) process.stdout.write(chunk.text);
 */
export interface TextChunk {
  /** New text (may be `""` while a character or a possible stop string is incomplete). */
  text: string;
  /** The token that completed it; `undefined` for text delivered at the end (beam search). */
  tokenId: number | undefined;
}

/**
 * An output in progress: iterate it for text deltas as tokens are generated, and await {@link TextStream.result}
 * for the final result. The deltas always add up to the final text (the first sequence's, when `numReturnSequences`
 * asks for more): with beam search, whose beams change until the end, the text arrives in one piece when the search ends.
 *
 * @typeParam R - the task's result type ({@link Translation} or {@link Summary}).
 * @example
 * const s = translator.stream("A long text ...", { to: "de", numBeams: 1 });
 * for await (const chunk of s) process.stdout.write(chunk.text);
 * const { metrics } = await s.result;
 */
export class TextStream<R extends Seq2SeqResult> extends ResultStream<TextChunk, R> {
  /** @param run - starts the work, reporting tokens of the streamed text through `onToken`. */
  constructor(run: (onToken: (event: TokenEvent) => void) => Promise<R>) {
    let streamed = "";
    super(
      (push) =>
        run((event) => {
          if (event.input !== 0 || event.sequence !== 0) return; // the result's text is the first sequence's
          streamed += event.text;
          push({ text: event.text, tokenId: event.tokenId });
        }),
      // Whatever the token events did not deliver (beam search, text held back at the end) comes last.
      (result) =>
        result.text.startsWith(streamed) && result.text.length > streamed.length
          ? [{ text: result.text.slice(streamed.length), tokenId: undefined }]
          : [],
    );
  }

  /**
   * The whole text, once generation ends.
   *
   * @example
   * const text = await summarizer.stream(article).text();
   */
  async text(): Promise<string> {
    return (await this.result).text;
  }
}

/**
 * Calls both token callbacks: the caller's own `onToken` and the stream's.
 *
 * @internal
 */
export function chain<E>(first: ((event: E) => void) | undefined, second: (event: E) => void): (event: E) => void {
  if (!first) return second;
  return (event) => {
    first(event);
    second(event);
  };
}
