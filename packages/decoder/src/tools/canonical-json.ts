import { parseJson } from "./formats/tool-call-format.js";

type Mode =
  | "value" // a value is expected (whitespace skipped)
  | "first-key" // after `{`: a key or `}`
  | "key" // after `,` in an object: a key
  | "colon" // after a key
  | "first-value" // after `[`: a value or `]`
  | "after-value" // a value ended: `,`, `}` or `]`
  | "string"
  | "escape"
  | "unicode"
  | "number"
  | "literal";

const NUMBER_CHAR = /[-+.eE0-9]/;
const WHITESPACE = /[ \t\n\r]/;
const LITERALS = ["true", "false", "null"];

/**
 * Reads one JSON value as it streams, character by character, and writes it out as `JSON.stringify(JSON.parse(text))`
 * would, as early as that text is certain: whitespace dropped, string escapes in `JSON.stringify`'s form (`\/` as
 * `/`, `\u0041` as `A`, a surrogate pair as its character), numbers in JavaScript's form (`1.0` as `1`) once they end.
 * So the pieces of a tool call's arguments, streamed as they are generated, add up to the canonical JSON text of the
 * parsed arguments. The one difference: an object whose keys JavaScript reorders or merges (a key repeated, or an
 * integer-like key such as `"2"` after another key) is written in the order the text has.
 *
 * @example
 * const reader = new CanonicalJsonReader();
 * for (const c of '{"a": 1.0, "b": "\\u0041"}') reader.read(c);
 * reader.take(); // '{"a":1,"b":"A"}'
 * reader.complete; // true
 */
export class CanonicalJsonReader {
  #mode: Mode = "value";
  readonly #stack: Array<"{" | "["> = [];
  #out = "";
  #buffer = "";
  #isKey = false;
  /** A `\uD8xx` escape waiting for its low surrogate. */
  #highSurrogate: number | undefined;
  #complete = false;
  #failed = false;
  #first: string | undefined;

  /** Whether the value ended. */
  get complete(): boolean {
    return this.#complete;
  }

  /** Whether the text is not JSON. */
  get failed(): boolean {
    return this.#failed;
  }

  /**
   * The first character of the value, once read (`{`, `[`, `"`, a digit or `-`, or a literal's first letter).
   *
   * @example
   * reader.read(" "); reader.read("{"); reader.first; // "{"
   */
  get first(): string | undefined {
    return this.#first;
  }

  /**
   * The canonical text written since the last call.
   *
   * @example
   * reader.take(); // '{"city":"Pa'
   */
  take(): string {
    const out = this.#out;
    this.#out = "";
    return out;
  }

  /**
   * Reads one character (a UTF-16 code unit or a whole code point). Returns `false` when the character is not part
   * of the value: the value had already ended (a number ends at the first character after it), or the text is not
   * JSON (`failed`).
   *
   * @example
   * reader.read("{"); // true
   */
  read(c: string): boolean {
    if (this.#complete || this.#failed) return false;
    switch (this.#mode) {
      case "string":
        return this.#stringChar(c);
      case "escape":
        return this.#escape(c);
      case "unicode":
        return this.#unicode(c);
      case "number":
        if (NUMBER_CHAR.test(c)) {
          this.#buffer += c;
          return true;
        }
        if (!this.#emitScalar(this.#buffer)) return false;
        return this.#complete ? false : this.read(c);
      case "literal":
        return this.#literal(c);
      default:
        return this.#structure(c);
    }
  }

  #structure(c: string): boolean {
    if (WHITESPACE.test(c)) return true;
    const mode = this.#mode;
    if (mode === "first-key" && c === "}") return this.#close(c);
    if (mode === "first-value" && c === "]") return this.#close(c);
    if (mode === "first-key" || mode === "key") {
      if (c !== '"') return this.#fail();
      this.#isKey = true;
      return this.#openString();
    }
    if (mode === "colon") {
      if (c !== ":") return this.#fail();
      this.#out += c;
      this.#mode = "value";
      return true;
    }
    if (mode === "after-value") {
      const top = this.#stack.at(-1);
      if (c === ",") {
        this.#out += c;
        this.#mode = top === "{" ? "key" : "value";
        return true;
      }
      if ((c === "}" && top === "{") || (c === "]" && top === "[")) return this.#close(c);
      return this.#fail();
    }
    // "value" or "first-value"
    this.#first ??= c;
    if (c === "{" || c === "[") {
      this.#stack.push(c);
      this.#out += c;
      this.#mode = c === "{" ? "first-key" : "first-value";
      return true;
    }
    if (c === '"') {
      this.#isKey = false;
      return this.#openString();
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      this.#mode = "number";
      this.#buffer = c;
      return true;
    }
    if (c === "t" || c === "f" || c === "n") {
      this.#mode = "literal";
      this.#buffer = c;
      return true;
    }
    return this.#fail();
  }

  #openString(): boolean {
    this.#out += '"';
    this.#mode = "string";
    return true;
  }

  #stringChar(c: string): boolean {
    if (c === "\\") {
      this.#mode = "escape";
      return true;
    }
    this.#flushSurrogate();
    if (c === '"') {
      this.#out += c;
      if (this.#isKey) this.#mode = "colon";
      else this.#valueEnded();
      return true;
    }
    if (c < " ") return this.#fail(); // a raw control character is not JSON
    this.#out += c;
    return true;
  }

  #escape(c: string): boolean {
    if (c === "u") {
      this.#mode = "unicode";
      this.#buffer = "";
      return true;
    }
    const decoded = parseJsonString(`"\\${c}"`);
    if (decoded === undefined) return this.#fail();
    this.#flushSurrogate();
    this.#out += JSON.stringify(decoded).slice(1, -1);
    this.#mode = "string";
    return true;
  }

  #unicode(c: string): boolean {
    if (!/[0-9a-fA-F]/.test(c)) return this.#fail();
    this.#buffer += c;
    if (this.#buffer.length < 4) return true;
    const unit = Number.parseInt(this.#buffer, 16);
    this.#mode = "string";
    if (this.#highSurrogate !== undefined && unit >= 0xdc00 && unit <= 0xdfff) {
      this.#out += String.fromCharCode(this.#highSurrogate, unit);
      this.#highSurrogate = undefined;
      return true;
    }
    this.#flushSurrogate();
    if (unit >= 0xd800 && unit <= 0xdbff) this.#highSurrogate = unit;
    else this.#out += JSON.stringify(String.fromCharCode(unit)).slice(1, -1);
    return true;
  }

  /** A high surrogate not followed by its low one stays escaped, as `JSON.stringify` writes a lone surrogate. */
  #flushSurrogate(): void {
    if (this.#highSurrogate === undefined) return;
    this.#out += JSON.stringify(String.fromCharCode(this.#highSurrogate)).slice(1, -1);
    this.#highSurrogate = undefined;
  }

  #literal(c: string): boolean {
    const text = this.#buffer + c;
    const literal = LITERALS.find((l) => l.startsWith(text));
    if (literal === undefined) return this.#fail();
    this.#buffer = text;
    if (text === literal) this.#emitScalar(text);
    return true;
  }

  /** Writes a number or literal in `JSON.stringify`'s form; `false` when it is not JSON. */
  #emitScalar(text: string): boolean {
    const value = parseJson(text);
    if (value === undefined) return this.#fail();
    this.#out += JSON.stringify(value);
    this.#valueEnded();
    return true;
  }

  #close(c: string): boolean {
    this.#stack.pop();
    this.#out += c;
    this.#valueEnded();
    return true;
  }

  #valueEnded(): void {
    this.#mode = "after-value";
    if (this.#stack.length === 0) this.#complete = true;
  }

  #fail(): false {
    this.#failed = true;
    return false;
  }
}

function parseJsonString(text: string): string | undefined {
  const value = parseJson(text);
  return typeof value === "string" ? value : undefined;
}
