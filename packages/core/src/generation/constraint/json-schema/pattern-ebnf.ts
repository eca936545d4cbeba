/**
 * Translates a JSON Schema `pattern` (an ECMAScript regular expression over the decoded string) into EBNF over the
 * string's JSON text: literals are written JSON-escaped (a `"` as `\"`, a `\` as `\\`), so every sentence is the body
 * of a valid JSON string whose value matches the pattern. Supported: literals and escapes (`\d \w \s \D \W \S`,
 * `\.`, `\n`, `\t`, `\uXXXX`), classes with ranges and negation, `.`, groups (`(...)`, `(?:...)`), alternation,
 * quantifiers `* + ? {m} {m,} {m,n}` (lazy ones too), and `^`/`$` at the ends. An unanchored side may carry any
 * text. Negated classes, `.` and the upper-case escapes never produce a quote, a backslash or a control character
 * (a subset of what they match, so outputs stay valid). Anything else (lookarounds, backreferences, anchors inside)
 * throws a `SyntaxError` naming it.
 *
 * @example
 * patternEbnf("^[a-z]{2}[0-9]+$", "c"); // '[a-z]{2} [0-9]+'
 */
export function patternEbnf(pattern: string, anyChar: string): string {
  const parser = new PatternParser(pattern);
  const anchoredStart = parser.eat("^");
  const body = parser.alternation();
  const anchoredEnd = parser.eat("$");
  if (!parser.done)
    throw new SyntaxError(
      `unsupported construct at position ${parser.position}: ${JSON.stringify(pattern.slice(parser.position, parser.position + 8))}`,
    );
  return [anchoredStart ? "" : `${anyChar}*`, `(${body || '""'})`, anchoredEnd ? "" : `${anyChar}*`].filter((p) => p !== "").join(" ");
}

/** Characters that a string's JSON text must escape, as EBNF strings of their escaped form. */
function literalChar(code: number): string {
  if (code === 0x22) return '"\\\\\\""';
  if (code === 0x5c) return '"\\\\\\\\"';
  if (code === 0x0a) return '"\\\\n"';
  if (code === 0x0d) return '"\\\\r"';
  if (code === 0x09) return '"\\\\t"';
  if (code < 0x20) return `"\\\\u00${code.toString(16).padStart(2, "0")}"`;
  return `"${String.fromCodePoint(code)}"`;
}

/** A class member or range, in EBNF class syntax. */
function classChar(code: number): string {
  if (code === 0x5d || code === 0x5c || code === 0x5e || code === 0x2d) return `\\${String.fromCharCode(code)}`;
  return String.fromCodePoint(code);
}

const SAFE_NEGATION = '"\\\\\\x00-\\x1f';

class PatternParser {
  readonly #src: string;
  position = 0;

  constructor(src: string) {
    this.#src = src;
  }

  get done(): boolean {
    return this.position >= this.#src.length;
  }

  #peek(): string | undefined {
    return this.#src[this.position];
  }

  eat(c: string): boolean {
    if (this.#src[this.position] === c) {
      this.position++;
      return true;
    }
    return false;
  }

  #fail(what: string): never {
    throw new SyntaxError(`${what} (at position ${this.position}) is not supported`);
  }

  alternation(): string {
    const branches = [this.#sequence()];
    while (this.eat("|")) branches.push(this.#sequence());
    return branches.length === 1 ? (branches[0] as string) : branches.map((b) => b || '""').join(" | ");
  }

  #sequence(): string {
    const items: string[] = [];
    for (;;) {
      const c = this.#peek();
      if (c === undefined || c === "|" || c === ")") break;
      if (c === "$" && this.position === this.#src.length - 1) break;
      items.push(this.#quantified(this.#atom()));
    }
    return items.join(" ");
  }

  #quantified(atom: string): string {
    let out = atom;
    for (;;) {
      const c = this.#peek();
      let q: string | undefined;
      if (c === "*" || c === "+" || c === "?") {
        this.position++;
        q = c;
      } else if (c === "{" && /^\{\d+(,\d*)?\}/.test(this.#src.slice(this.position))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#src.slice(this.position)) as RegExpExecArray;
        this.position += m[0].length;
        q = m[2] === undefined ? `{${m[1]}}` : `{${m[1]},${m[3] ?? ""}}`;
      } else break;
      this.eat("?"); // a lazy quantifier matches the same strings
      out = `(${out})${q}`;
    }
    return out;
  }

  #atom(): string {
    const c = this.#src[this.position++] as string;
    switch (c) {
      case "(": {
        if (this.#src.startsWith("?:", this.position)) this.position += 2;
        else if (this.#peek() === "?") this.#fail("a lookaround or named group");
        const inner = this.alternation();
        if (!this.eat(")")) this.#fail("an unclosed group");
        return `(${inner || '""'})`;
      }
      case "[":
        return this.#class();
      case ".":
        return `[^${SAFE_NEGATION}]`;
      case "\\":
        return this.#escape(false);
      case "^":
      case "$":
        return this.#fail(`the anchor ${c} inside the pattern`);
      case "*":
      case "+":
      case "?":
      case "{":
      case "}":
      case ")":
      case "]":
      case "|":
        return this.#fail(`"${c}" out of place`);
      default: {
        const code = this.#src.codePointAt(this.position - 1) as number;
        if (code > 0xffff) this.position++;
        return literalChar(code);
      }
    }
  }

  /** After a backslash: an EBNF item (inClass: a class fragment, or undefined for a shorthand with no fragment). */
  #escape(inClass: boolean): string {
    const c = this.#src[this.position++];
    const shorthand: Record<string, [string, string]> = {
      d: ["[0-9]", "0-9"],
      w: ["[A-Za-z0-9_]", "A-Za-z0-9_"],
      s: ['(" " | "\\\\t" | "\\\\n" | "\\\\r")', " "],
      D: [`[^0-9${SAFE_NEGATION}]`, ""],
      W: [`[^A-Za-z0-9_${SAFE_NEGATION}]`, ""],
      S: [`[^ ${SAFE_NEGATION}]`, ""],
    };
    if (c !== undefined && c in shorthand) {
      const [item, fragment] = shorthand[c] as [string, string];
      if (inClass) {
        if (fragment === "") this.#fail(`\\${c} inside a class`);
        return fragment;
      }
      return item;
    }
    const code = this.#escapedCode(c);
    return inClass ? classChar(code) : literalChar(code);
  }

  #escapedCode(c: string | undefined): number {
    if (c === undefined) this.#fail("a trailing backslash");
    const simple: Record<string, number> = { n: 0x0a, r: 0x0d, t: 0x09, f: 0x0c, v: 0x0b, "0": 0 };
    if (c in simple) return simple[c] as number;
    if (c === "u" && /^[0-9a-fA-F]{4}/.test(this.#src.slice(this.position))) {
      this.position += 4;
      return Number.parseInt(this.#src.slice(this.position - 4, this.position), 16);
    }
    if (c === "x" && /^[0-9a-fA-F]{2}/.test(this.#src.slice(this.position))) {
      this.position += 2;
      return Number.parseInt(this.#src.slice(this.position - 2, this.position), 16);
    }
    if (/[0-9bBkpP]/.test(c)) this.#fail(`the escape \\${c}`);
    return c.codePointAt(0) as number;
  }

  #class(): string {
    const negated = this.eat("^");
    const parts: string[] = [];
    const escapes: string[] = []; // members that must be written escaped: a quote, a backslash, controls
    let first = true;
    while (this.#peek() !== "]" || first) {
      first = false;
      if (this.done) this.#fail("an unclosed class");
      let from: number;
      if (this.eat("\\")) {
        const before = this.position;
        const c = this.#src[before];
        if (c !== undefined && "dwsDWS".includes(c)) {
          parts.push(this.#escape(true));
          continue;
        }
        this.position++;
        from = this.#escapedCode(c);
      } else {
        from = this.#src.codePointAt(this.position) as number;
        this.position += from > 0xffff ? 2 : 1;
      }
      let to = from;
      if (this.#peek() === "-" && this.#src[this.position + 1] !== "]") {
        this.position++;
        if (this.eat("\\")) {
          const c = this.#src[this.position++];
          to = this.#escapedCode(c);
        } else {
          to = this.#src.codePointAt(this.position) as number;
          this.position += to > 0xffff ? 2 : 1;
        }
      }
      if (to < from) this.#fail("a reversed class range");
      // Split off what JSON must escape: controls, the quote, the backslash.
      const ranges = splitSpecial(from, to);
      for (const [a, b] of ranges.plain) parts.push(a === b ? classChar(a) : `${classChar(a)}-${classChar(b)}`);
      if (!negated) for (const code of ranges.special) escapes.push(literalChar(code));
    }
    this.position++; // the closing ]
    if (negated) return `[^${parts.join("")}${SAFE_NEGATION}]`;
    const items = [...(parts.length > 0 ? [`[${parts.join("")}]`] : []), ...escapes];
    if (items.length === 0) this.#fail("an empty class");
    return items.length === 1 ? (items[0] as string) : `(${items.join(" | ")})`;
  }
}

/** A code point range without the characters JSON escapes, and those characters (at most the 34 of them). */
function splitSpecial(from: number, to: number): { plain: [number, number][]; special: number[] } {
  const special: number[] = [];
  const plain: [number, number][] = [];
  let start = from;
  for (let code = from; code <= to && code <= 0x5c; code++) {
    if (code < 0x20 || code === 0x22 || code === 0x5c) {
      if (start < code) plain.push([start, code - 1]);
      special.push(code);
      start = code + 1;
    }
  }
  if (start <= to) plain.push([start, to]);
  return { plain, special };
}
