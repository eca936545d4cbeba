/**
 * Incremental detokenization for streaming. Decoding token by token breaks multi-byte characters
 * (a byte-level BPE token can hold half an emoji) and loses the leading space that SentencePiece
 * strips from the first token of a slice. This decoder re-decodes a short window that starts at a
 * token already shown, and only emits text once it no longer ends in a replacement character.
 *
 * @example
 * const stream = tokenizer.streamDecoder();
 * let text = "";
 * for (const id of ids) text += await stream.push(id);
 * text += await stream.flush();
 */
export class StreamDecoder {
  readonly #decode: (ids: number[]) => Promise<string>;
  readonly #ids: number[] = [];
  #prefixOffset = 0;
  #readOffset = 0;

  /**
   * @param decode - turns ids into text.
   * @param context - tokens already shown before the stream starts (the end of the prompt): deltas are
   *   decoded after them, so the first generated word keeps its leading space.
   */
  constructor(decode: (ids: number[]) => Promise<string>, context: readonly number[] = []) {
    this.#decode = decode;
    this.#ids.push(...context);
    this.#readOffset = context.length;
  }

  /** Adds one or more token ids and returns the text they complete (possibly `""`). */
  async push(ids: number | readonly number[]): Promise<string> {
    if (typeof ids === "number") this.#ids.push(ids);
    else this.#ids.push(...ids);
    const prefix = await this.#decode(this.#ids.slice(this.#prefixOffset, this.#readOffset));
    const full = await this.#decode(this.#ids.slice(this.#prefixOffset));
    if (full.length > prefix.length && !full.endsWith("\uFFFD")) {
      this.#prefixOffset = this.#readOffset;
      this.#readOffset = this.#ids.length;
      return full.slice(prefix.length);
    }
    return "";
  }

  /** Returns whatever text is still held back (an incomplete character at the very end). */
  async flush(): Promise<string> {
    if (this.#readOffset === this.#ids.length) return "";
    const prefix = await this.#decode(this.#ids.slice(this.#prefixOffset, this.#readOffset));
    const full = await this.#decode(this.#ids.slice(this.#prefixOffset));
    this.#prefixOffset = this.#readOffset;
    this.#readOffset = this.#ids.length;
    return full.length > prefix.length ? full.slice(prefix.length) : "";
  }
}
