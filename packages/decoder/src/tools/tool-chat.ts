import { type GenerationResult, InputError, type ResponseFormat, type StreamedTokenEvent, type TokenEvent } from "@proj/core";
import { type CheckedTools, checkTools } from "./check-tools.js";
import { toolCallFormatOf } from "./choose-format.js";
import type { ToolCallFormat } from "./formats/tool-call-format.js";
import { HeldText } from "./held-text.js";
import { type StreamedCall, ToolCallStream } from "./tool-call-stream.js";
import { toolCallGrammar } from "./tool-grammar.js";
import type { ToolCall, ToolOptions } from "./types.js";

/**
 * The result of a chat call: the generation result, its `text` being the answer without tool-call markup, and the
 * calls the model made (empty when it answered in text).
 *
 * @example
 * const { text, toolCalls } = await chat(messages, { tools: [weather] });
 * for (const call of toolCalls) console.log(call.name, call.arguments);
 */
export interface ChatResult extends GenerationResult {
  /** The tool calls, in order (none without tools, or when the model answered in text). */
  toolCalls: ToolCall[];
}

/** How one chat call with tools runs: what the template and the engine get, and how the answer is read back. */
export interface ToolChatPlan {
  /** Template variables with `tools` added, as `apply_chat_template(tools=...)` passes them. */
  templateVariables: Record<string, unknown>;
  /** The constraint for `"required"` and named choices (the call's own `responseFormat` otherwise). */
  responseFormat: ResponseFormat | undefined;
  /** Wraps a token callback so it sees text with the call markup held back. */
  filter(onToken: ((event: TokenEvent) => void) | undefined): ((event: TokenEvent) => void) | undefined;
  /** The chat result of the generation result: calls parsed out, ids given. */
  finish(result: GenerationResult): ChatResult;
}

/**
 * Plans a chat call's tools: checks the options, picks the tool-call format the chat template teaches (Hermes,
 * Llama 3 JSON, Mistral), adds `tools` to the template variables, constrains the answer to calls of the tools'
 * schemas for `"required"` and named choices, holds call markup back from streams, and parses the calls out of the
 * answer. Without tools the plan only adds `toolCalls: []` to the result.
 *
 * @example
 * const plan = planToolChat(template, { tools, toolChoice: "auto" }, templateVariables, responseFormat);
 * const result = plan.finish(await engine(prompt, { responseFormat: plan.responseFormat, onToken: plan.filter(onToken) }));
 */
export function planToolChat(
  template: string | undefined,
  options: ToolOptions,
  templateVariables: Record<string, unknown> | undefined,
  responseFormat: ResponseFormat | undefined,
): ToolChatPlan {
  const checked = checkTools(options);
  if (checked === undefined) {
    return {
      templateVariables: templateVariables ?? {},
      responseFormat,
      filter: (onToken) => onToken,
      finish: (result) => ({ ...result, toolCalls: [] }),
    };
  }
  const format = toolCallFormatOf(template);
  const grammar = toolCallGrammar(format, checked);
  if (grammar !== undefined && responseFormat !== undefined && responseFormat.type !== "text") {
    throw new InputError(
      `toolChoice ${JSON.stringify(checked.choice)} constrains the answer to tool calls, so it cannot also take responseFormat`,
      {
        hint: 'use toolChoice "auto" with responseFormat, or leave responseFormat out',
      },
    );
  }
  // The calls of the answer (the first sequence of the one prompt) as they stream; the result's calls take their ids.
  const streamed = new ToolCallStream(
    format,
    checked.tools.map((t) => t.function.name),
  );
  return {
    templateVariables: { ...templateVariables, tools: checked.tools },
    responseFormat: grammar !== undefined ? { type: "grammar", grammar } : responseFormat,
    filter: (onToken) => (checked.choice === "none" ? onToken : heldBack(format, streamed, onToken)),
    finish: (result) => finishToolChat(result, format, checked, streamed.calls),
  };
}

/** Holds call markup back from the streamed text, and adds the call deltas of the answer's tokens to their events. */
function heldBack(
  format: ToolCallFormat,
  calls: ToolCallStream,
  onToken: ((event: StreamedTokenEvent) => void) | undefined,
): ((event: TokenEvent) => void) | undefined {
  if (onToken === undefined) return undefined;
  const held = new Map<string, HeldText>();
  return (event) => {
    const key = `${event.input}:${event.sequence}`;
    const text = held.get(key) ?? new HeldText(format.start);
    held.set(key, text);
    const deltas = key === "0:0" ? calls.push(event.text) : [];
    const shown: StreamedTokenEvent = { ...event, text: text.push(event.text), ...(deltas.length > 0 ? { toolCallDeltas: deltas } : {}) };
    onToken(shown);
  };
}

function finishToolChat(
  result: GenerationResult,
  format: ToolCallFormat,
  checked: CheckedTools,
  streamed: readonly StreamedCall[],
): ChatResult {
  if (checked.choice === "none") return { ...result, toolCalls: [] };
  const parsed = format.parse(result.text);
  const known = new Set(checked.tools.map((t) => t.function.name));
  if (parsed.calls.length === 0 || parsed.calls.some((c) => !known.has(c.name))) return { ...result, toolCalls: [] };
  // A call that streamed keeps the id its first delta carried.
  const toolCalls = parsed.calls.map((call, i) => ({ id: streamed[i]?.name === call.name ? streamed[i].id : format.newId(), ...call }));
  return { ...result, text: parsed.content, toolCalls };
}
