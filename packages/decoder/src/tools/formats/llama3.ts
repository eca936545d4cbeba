import { ebnfLiteral } from "@proj/core/internal";
import { callOf, type ParsedAnswer, type ParsedCall, parseJson, randomId, type ToolCallFormat } from "./tool-call-format.js";

const PYTHON_TAG = "<|python_tag|>";

/**
 * Llama 3.1/3.2/3.3's JSON tool calling: the answer is one JSON object `{"name": "...", "parameters": {...}}`
 * (sometimes after `<|python_tag|>`), several separated by `;` when the model calls more than one.
 *
 * @example
 * LLAMA3_JSON.parse('{"name": "f", "parameters": {"x": 1}}'); // { content: "", calls: [{ name: "f", arguments: { x: 1 } }] }
 */
export const LLAMA3_JSON: ToolCallFormat = {
  name: "llama3-json",
  start: "{",
  argumentsKey: "parameters",
  parse(text: string): ParsedAnswer {
    const body = text.trim().replace(PYTHON_TAG, "").trim();
    if (!body.startsWith("{")) return { content: text, calls: [] };
    const calls: ParsedCall[] = [];
    for (const part of splitTopLevel(body, ";")) {
      const call = callOf(parseJson(part.trim()), "parameters");
      if (call === undefined) return { content: text, calls: [] };
      calls.push(call);
    }
    return { content: "", calls };
  },
  grammar(call: string, parallel: boolean): string {
    return parallel ? `root ::= ${call} (${ebnfLiteral("; ")} ${call})*` : `root ::= ${call}`;
  },
  layout: { kind: "leading", prefix: PYTHON_TAG, separator: ";" },
  newId: () => `call_${randomId(24)}`,
};

/** Splits at `separator` outside JSON strings, objects and arrays. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.filter((p) => p.trim() !== "");
}
