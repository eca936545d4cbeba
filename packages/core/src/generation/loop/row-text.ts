import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import type { StreamDecoder } from "../../tokenizer/stream-decoder.js";
import { StopStringMatcher } from "../stopping/stop-strings.js";

/** Prompt tokens decoded before the generated ones, enough to settle spaces and multi-byte characters. */
const CONTEXT_TOKENS = 5;

/**
 * The text side of one generated sequence: incremental detokenization when streaming or matching stop
 * strings, otherwise one decode at the end.
 */
export class RowText {
  readonly #tokenizer: Tokenizer;
  readonly #stream: StreamDecoder | undefined;
  readonly #matcher: StopStringMatcher | undefined;
  readonly #context: readonly number[];
  #emitted = "";

  /**
   * @param context - the last prompt tokens: generated text is decoded as their continuation, so a leading
   *   space is kept (`" jumps"`, not `"jumps"`).
   */
  constructor(tokenizer: Tokenizer, stops: readonly string[], streaming: boolean, context: readonly number[]) {
    this.#tokenizer = tokenizer;
    this.#context = context.slice(-CONTEXT_TOKENS);
    const incremental = streaming || stops.length > 0;
    this.#stream = incremental ? tokenizer.streamDecoder({ context: this.#context }) : undefined;
    this.#matcher = stops.length > 0 ? new StopStringMatcher(stops) : undefined;
  }

  /** True once a stop string has appeared. */
  get stopped(): boolean {
    return this.#matcher?.stopped ?? false;
  }

  /** Adds a token; returns the text that is now safe to show. */
  async push(token: number): Promise<string> {
    if (!this.#stream) return "";
    const delta = await this.#stream.push(token);
    const emit = this.#matcher ? this.#matcher.push(delta).emit : delta;
    this.#emitted += emit;
    return emit;
  }

  /** The final text of the sequence. */
  async finish(tokens: readonly number[]): Promise<string> {
    if (!this.#stream) return this.#tokenizer.decodeContinuation(this.#context, tokens);
    if (!this.stopped) {
      const rest = await this.#stream.flush();
      this.#emitted += this.#matcher ? this.#matcher.push(rest).emit + this.#matcher.flush() : rest;
    }
    return this.#emitted;
  }
}
