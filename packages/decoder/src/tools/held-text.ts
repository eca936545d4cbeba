/**
 * Holds streamed text back from where a tool call may start, so a stream delivers the answer's text and never the
 * call's markup: text is released up to the first character that could begin `start` (all of it once `start` has
 * appeared; a possible beginning at the end is kept until the next text shows whether it is one). What is held
 * back is delivered, if it is text after all, when the answer is read at the end.
 *
 * @example
 * const held = new HeldText("<tool_call>");
 * held.push("Sure. <tool"); // "Sure. "
 * held.push("_call>\n{");   // ""
 */
export class HeldText {
  readonly #start: string;
  #text = "";
  #released = 0;
  #holding = false;

  /** @param start - the text a call begins with */
  constructor(start: string) {
    this.#start = start;
  }

  /**
   * Adds streamed text; returns the part that can be shown now.
   *
   * @example
   * new HeldText("[TOOL_CALLS]").push("Hello"); // "Hello"
   */
  push(text: string): string {
    if (this.#holding) return "";
    this.#text += text;
    const at = this.#text.indexOf(this.#start, this.#released);
    if (at >= 0) {
      this.#holding = true;
      return this.#release(at);
    }
    return this.#release(this.#text.length - this.#partialStart());
  }

  #release(end: number): string {
    const out = this.#text.slice(this.#released, Math.max(end, this.#released));
    this.#released = Math.max(end, this.#released);
    return out;
  }

  /** The length of the longest end of the text that is a beginning of `start`. */
  #partialStart(): number {
    const max = Math.min(this.#start.length - 1, this.#text.length - this.#released);
    for (let n = max; n > 0; n--) if (this.#text.endsWith(this.#start.slice(0, n))) return n;
    return 0;
  }
}
