import { ResultStream, type TokenEvent } from "@proj/core";
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
export class GenerationStream extends ResultStream<StreamChunk, GenerationResult> {
  /** @param run - starts the generation, reporting each token through `onToken`. */
  constructor(run: (onToken: (event: TokenEvent) => void) => Promise<GenerationResult>) {
    super((push) => run((event) => push({ text: event.text, tokenId: event.tokenId })));
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
