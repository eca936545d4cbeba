import { ebnfLiteral } from "@proj/core/internal";
import { callOf, type ParsedAnswer, type ParsedCall, parseJson, randomId, type ToolCallFormat } from "./tool-call-format.js";

const OPEN = "<tool_call>";
const CLOSE = "</tool_call>";

/**
 * The Hermes convention, which Qwen 2/2.5/3, Hermes 2/3 and many ChatML models follow: each call is
 * `<tool_call>\n{"name": "...", "arguments": {...}}\n</tool_call>`, several in a row for parallel calls.
 *
 * @example
 * HERMES.parse('<tool_call>\n{"name": "f", "arguments": {"x": 1}}\n</tool_call>'); // { content: "", calls: [{ name: "f", arguments: { x: 1 } }] }
 */
export const HERMES: ToolCallFormat = {
  name: "hermes",
  start: OPEN,
  argumentsKey: "arguments",
  parse(text: string): ParsedAnswer {
    const calls: ParsedCall[] = [];
    let content = "";
    let rest = text;
    for (;;) {
      const open = rest.indexOf(OPEN);
      if (open < 0) break;
      const close = rest.indexOf(CLOSE, open + OPEN.length);
      const body = rest.slice(open + OPEN.length, close < 0 ? undefined : close);
      const call = callOf(parseJson(body.trim()), "arguments");
      if (call === undefined) break; // not a call (or cut short): the rest stays text
      content += calls.length === 0 ? rest.slice(0, open) : rest.slice(0, open).trim(); // whitespace between calls is not text
      calls.push(call);
      rest = close < 0 ? "" : rest.slice(close + CLOSE.length);
    }
    return { content: calls.length === 0 ? text : content + rest.trim(), calls };
  },
  grammar(call: string, parallel: boolean): string {
    const one = `${ebnfLiteral(`${OPEN}\n`)} ${call} ${ebnfLiteral(`\n${CLOSE}`)}`;
    return parallel ? `root ::= tool_call (${ebnfLiteral("\n")} tool_call)*\ntool_call ::= ${one}` : `root ::= ${one}`;
  },
  layout: { kind: "tagged", open: OPEN },
  newId: () => `call_${randomId(24)}`,
};
