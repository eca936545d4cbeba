import type { TokenEvent } from "@proj/core";
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
 * for the final result. The deltas always add up to the final text: with beam search, whose beams change until the
 * end, the text arrives in one piece when the search ends.
 *
 * @typeParam R - the task's result type ({@link Translation} or {@link Summary}).
 * @example
 * const s = translator.stream("A long text ...", { to: "de", numBeams: 1 });
 * for await (const chunk of s) process.stdout.write(chunk.text);
 * const { metrics } = await s.result;
 */
export class TextStream<R extends Seq2SeqResult> implements AsyncIterable<TextChunk> {
  /** The final result, once generation ends (rejects if it fails). */
  readonly result: Promise<R>;
  readonly #queue: TextChunk[] = [];
  #streamed = "";
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;

  /** @param run - starts the work, reporting tokens of the streamed text through `onToken`. */
  constructor(run: (onToken: (event: TokenEvent) => void) => Promise<R>) {
    this.result = run((event) => this.#push({ text: event.text, tokenId: event.tokenId })).then(
      (result) => {
        // Whatever the token events did not deliver (beam search, text held back at the end) comes last.
        if (result.text.startsWith(this.#streamed) && result.text.length > this.#streamed.length) {
          this.#push({ text: result.text.slice(this.#streamed.length), tokenId: undefined });
        }
        this.#ended = true;
        this.#notify();
        return result;
      },
      (error: unknown) => {
        this.#ended = true;
        this.#error = error;
        this.#notify();
        throw error;
      },
    );
    // Iterating is optional: an unobserved failure is reported through `result` only.
    this.result.catch(() => undefined);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TextChunk> {
    for (;;) {
      const chunk = this.#queue.shift();
      if (chunk) {
        yield chunk;
        continue;
      }
      if (this.#ended) {
        if (this.#error !== undefined) throw this.#error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
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

  #push(chunk: TextChunk): void {
    this.#streamed += chunk.text;
    this.#queue.push(chunk);
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
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
