import { ebnfLiteral } from "@proj/core/internal";
import { callOf, type ParsedAnswer, type ParsedCall, parseJson, randomId, type ToolCallFormat } from "./tool-call-format.js";

const MARKER = "[TOOL_CALLS]";

/**
 * Mistral's convention (v3 tokenizers: Mistral 7B v0.3, Mixtral 8x22B, Mistral Nemo): `[TOOL_CALLS]` then a JSON
 * array of `{"name": "...", "arguments": {...}}`; call ids are 9 letters and digits, as its templates require.
 *
 * @example
 * MISTRAL.parse('[TOOL_CALLS] [{"name": "f", "arguments": {"x": 1}}]'); // { content: "", calls: [{ name: "f", arguments: { x: 1 } }] }
 */
export const MISTRAL: ToolCallFormat = {
  name: "mistral",
  start: MARKER,
  argumentsKey: "arguments",
  parse(text: string): ParsedAnswer {
    const at = text.indexOf(MARKER);
    if (at < 0) return { content: text, calls: [] };
    const list = parseJson(text.slice(at + MARKER.length).trim());
    const items = Array.isArray(list) ? list : [list];
    const calls: ParsedCall[] = [];
    for (const item of items) {
      const call = callOf(item, "arguments");
      if (call === undefined) return { content: text, calls: [] };
      calls.push(call);
    }
    return { content: text.slice(0, at), calls };
  },
  grammar(call: string, parallel: boolean): string {
    const open = ebnfLiteral(`${MARKER} [`);
    return parallel ? `root ::= ${open} ${call} (${ebnfLiteral(", ")} ${call})* "]"` : `root ::= ${open} ${call} "]"`;
  },
  layout: { kind: "list", marker: MARKER },
  newId: () => randomId(9),
};
