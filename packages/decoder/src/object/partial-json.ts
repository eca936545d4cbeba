/**
 * Parses the prefix of a JSON text as far as it goes: open strings, arrays and objects are closed, a dangling key,
 * comma or unfinished number or literal is left out. `undefined` when nothing can be read yet. For showing an object
 * while it streams; the final text is parsed with `JSON.parse`.
 *
 * @example
 * parsePartialJson('{"name":"Al'); // { name: "Al" }
 * parsePartialJson('{"tags":["a",'); // { tags: ["a"] }
 */
export function parsePartialJson(text: string): unknown {
  const closers: string[] = [];
  let inString = false;
  let escaped = false;
  // Where the text can be cut to leave a complete value so far, with the closers needed then.
  let safe = 0;
  let safeClosers: string[] = [];
  let keyStart = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') {
        inString = false;
        const isKey = closers.at(-1) === "}" && keyStart >= 0;
        if (!isKey) mark(i + 1);
      } else if (!isKeyContext()) {
        // Inside a value string: the text up to here, closed, is a readable value.
        if (!escaped && !isHighSurrogate(text.charCodeAt(i))) mark(i + 1, '"');
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        keyStart = closers.at(-1) === "}" && expectsKey(text, i) ? i : -1;
        if (keyStart < 0) mark(i + 1, '"');
        break;
      case "{":
        closers.push("}");
        mark(i + 1);
        break;
      case "[":
        closers.push("]");
        mark(i + 1);
        break;
      case "}":
      case "]":
        closers.pop();
        mark(i + 1);
        break;
      default:
        if (/[0-9eE.+\-a-z]/.test(c)) {
          // A number or literal is readable once what follows it ends it; here it is kept only when JSON parses.
          const candidate = `${text.slice(0, i + 1)}${[...closers].reverse().join("")}`;
          if (isJson(candidate)) mark(i + 1);
        }
    }
  }
  if (safe === 0) return undefined;
  const candidate = `${text.slice(0, safe)}${safeClosers.join("")}`;
  try {
    return JSON.parse(candidate);
  } catch {
    return undefined;
  }

  function mark(end: number, extra = ""): void {
    safe = end;
    safeClosers = [extra, ...[...closers].reverse()].filter((s) => s !== "");
  }
  function isKeyContext(): boolean {
    return keyStart >= 0;
  }
}

function expectsKey(text: string, quote: number): boolean {
  for (let i = quote - 1; i >= 0; i--) {
    const c = text[i] as string;
    if (c === " " || c === "\n" || c === "\t" || c === "\r") continue;
    return c === "{" || c === ",";
  }
  return false;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
