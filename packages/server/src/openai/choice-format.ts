import type { TokenLogprob, ToolCall, ToolCallDelta } from "@proj/decoder";
import { chatLogprobs, completionLogprobs } from "./logprobs.js";

/** The `usage` object of an OpenAI response. */
export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  /** Prompt tokens served from the prefix cache (OpenAI's field), when the generator reports them. */
  prompt_tokens_details?: { cached_tokens: number };
}

/** Identity fields of one response, repeated in each of its chunks. */
export interface ResponseMeta {
  id: string;
  created: number;
  model: string;
}

/** Why a choice ended, as OpenAI says it. */
export type WireFinishReason = "stop" | "length" | "tool_calls";

/** A finished choice: its text, why it ended, the tool calls it made, and (when asked) its token ids. */
export interface FinishedChoice {
  index: number;
  text: string;
  finishReason: WireFinishReason;
  toolCalls?: readonly ToolCall[];
  tokenIds?: number[];
  /** With `logprobs`: the choice's tokens' log-probabilities. */
  logprobs?: readonly TokenLogprob[];
}

/** A streamed piece of one choice. */
export interface ChoiceDelta {
  index: number;
  /** The first chunk of a chat choice names the role. */
  role?: boolean;
  text?: string;
  /** A piece of a tool call: its first delta (`id`, `name`), or the next piece of its arguments' JSON text. */
  toolCallDelta?: ToolCallDelta;
  tokenIds?: number[];
  /** With `logprobs`: the log-probabilities of the tokens this chunk carries, and (completions) the text offset of the first. */
  logprobs?: { entries: readonly TokenLogprob[]; offset: number };
  finishReason?: WireFinishReason;
}

/**
 * How an endpoint shapes its responses and stream chunks: `/v1/completions` (`text_completion`) and
 * `/v1/chat/completions` (`chat.completion`, `chat.completion.chunk`) differ only here.
 *
 * @example
 * const body = completionFormat.response(meta, [{ index: 0, text: "Hi", finishReason: "stop" }], usage);
 */
export interface ChoiceFormat {
  /** Prefix of response ids (`cmpl-`, `chatcmpl-`). */
  readonly idPrefix: string;
  /** A stream opens each choice with a chunk naming the role, and closes it with an empty delta (chat). */
  readonly streamsRole: boolean;
  /** The whole (non-streamed) response. */
  response(meta: ResponseMeta, choices: readonly FinishedChoice[], usage: Usage): unknown;
  /** One stream chunk. */
  chunk(meta: ResponseMeta, delta: ChoiceDelta): unknown;
  /** The last chunk when `stream_options.include_usage` is set: no choices, the usage. */
  usageChunk(meta: ResponseMeta, usage: Usage): unknown;
}

const ids = (tokenIds: number[] | undefined): { token_ids?: number[] } => (tokenIds ? { token_ids: tokenIds } : {});

/** Tool calls in OpenAI's wire shape: arguments as JSON text. */
const wireCalls = (calls: readonly ToolCall[]) =>
  calls.map((c) => ({ id: c.id, type: "function" as const, function: { name: c.name, arguments: JSON.stringify(c.arguments) } }));

/** A streamed tool-call delta as OpenAI sends it: the first with `id`, `type` and the name, the next with argument text only. */
const wireDelta = (d: ToolCallDelta) =>
  d.id !== undefined
    ? { index: d.index, id: d.id, type: "function" as const, function: { name: d.name ?? "", arguments: d.arguments } }
    : { index: d.index, function: { arguments: d.arguments } };

/**
 * The `/v1/completions` shapes.
 *
 * @example
 * completionFormat.chunk(meta, { index: 0, text: " world" });
 */
export const completionFormat: ChoiceFormat = {
  idPrefix: "cmpl-",
  streamsRole: false,
  response: (meta, choices, usage) => ({
    ...meta,
    object: "text_completion",
    system_fingerprint: null,
    choices: choices.map((c) => ({
      index: c.index,
      text: c.text,
      logprobs: c.logprobs ? completionLogprobs(c.logprobs, 0) : null,
      finish_reason: c.finishReason,
      ...ids(c.tokenIds),
    })),
    usage,
  }),
  chunk: (meta, d) => ({
    ...meta,
    object: "text_completion",
    system_fingerprint: null,
    choices: [
      {
        index: d.index,
        text: d.text ?? "",
        logprobs: d.logprobs ? completionLogprobs(d.logprobs.entries, d.logprobs.offset) : null,
        finish_reason: d.finishReason ?? null,
        ...ids(d.tokenIds),
      },
    ],
  }),
  usageChunk: (meta, usage) => ({ ...meta, object: "text_completion", system_fingerprint: null, choices: [], usage }),
};

/**
 * The `/v1/chat/completions` shapes.
 *
 * @example
 * chatFormat.chunk(meta, { index: 0, role: true });
 */
export const chatFormat: ChoiceFormat = {
  idPrefix: "chatcmpl-",
  streamsRole: true,
  response: (meta, choices, usage) => ({
    ...meta,
    object: "chat.completion",
    system_fingerprint: null,
    choices: choices.map((c) => ({
      index: c.index,
      message: {
        role: "assistant",
        content: c.toolCalls?.length && c.text === "" ? null : c.text,
        refusal: null,
        ...(c.toolCalls?.length ? { tool_calls: wireCalls(c.toolCalls) } : {}),
      },
      logprobs: c.logprobs ? chatLogprobs(c.logprobs) : null,
      finish_reason: c.finishReason,
      ...ids(c.tokenIds),
    })),
    usage,
  }),
  chunk: (meta, d) => ({
    ...meta,
    object: "chat.completion.chunk",
    system_fingerprint: null,
    choices: [
      {
        index: d.index,
        delta: {
          ...(d.role ? { role: "assistant" } : {}),
          ...(d.text !== undefined ? { content: d.text } : {}),
          ...(d.toolCallDelta ? { tool_calls: [wireDelta(d.toolCallDelta)] } : {}),
        },
        logprobs: d.logprobs ? chatLogprobs(d.logprobs.entries) : null,
        finish_reason: d.finishReason ?? null,
        ...ids(d.tokenIds),
      },
    ],
  }),
  usageChunk: (meta, usage) => ({ ...meta, object: "chat.completion.chunk", system_fingerprint: null, choices: [], usage }),
};
