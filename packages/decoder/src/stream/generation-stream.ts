import type { TokenEvent } from "@proj/core";
import type { GenerationResult } from "../generate/options.js";

/** One piece of a streamed generation. */
export interface StreamChunk {
  /** New text (may be empty while a character or a possible stop string is incomplete). */
  text: string;
  /** The token that produced it. */
  tokenId: number;
}

/**
 * A generation in progress: iterate it for text deltas as tokens are produced, and await
 * {@link GenerationStream.result} for the final result with metrics.
 *
 * @example
 * const s = stream("Once upon a time", { maxNewTokens: 50 });
 * for await (const chunk of s) process.stdout.write(chunk.text);
 * const { finishReason, metrics } = await s.result;
 */
export class GenerationStream implements AsyncIterable<StreamChunk> {
  /** The final result, once generation ends (rejects if it fails). */
  readonly result: Promise<GenerationResult>;
  readonly #queue: StreamChunk[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #error: unknown;

  constructor(run: (onToken: (event: TokenEvent) => void) => Promise<GenerationResult>) {
    this.result = run((event) => {
      this.#queue.push({ text: event.text, tokenId: event.tokenId });
      this.#notify();
    }).then(
      (result) => {
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

  async *[Symbol.asyncIterator](): AsyncIterator<StreamChunk> {
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

  /** The whole text, once generation ends. */
  async text(): Promise<string> {
    return (await this.result).text;
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
