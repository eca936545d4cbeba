import { ResultStream } from "./result-stream.js";
import type { GenerationResult } from "./result.js";
import type { TokenLogprob } from "./logprobs/token-logprob.js";
import type { TokenEvent } from "./types.js";

/**
 * One piece of streamed text.
 *
 * @example
 * for await (const chunk of stream("Once upon a time")) process.stdout.write(chunk.text);
 */
export interface TextChunk {
  /** New text (may be `""` while a character or a possible stop string is incomplete). */
  text: string;
  /**
   * The token that completed it. For text delivered in one piece at the end (beam search, text held back until
   * the end), the last generated token, or `undefined` when there is none; a remote generator that was not asked
   * for token ids reports `-1`.
   */
  tokenId: number | undefined;
  /** With `logprobs`: the token's log-probability and the step's best alternatives (none on text delivered at the end). */
  logprob?: TokenLogprob;
  /**
   * A chat with tools: the pieces of tool calls this token wrote (the call markup itself never shows in `text`).
   * Absent when the token advanced no call.
   */
  toolCallDeltas?: readonly ToolCallDelta[];
}

/**
 * A piece of a tool call as it is generated, in the order of OpenAI's streamed `tool_calls` deltas: a call's first
 * delta, once its name is complete, carries its `id` and `name` with `arguments: ""`; the next ones carry the
 * arguments' JSON text piece by piece. The pieces of a call add up to `JSON.stringify(call.arguments)` of the
 * result's call with the same `index` and `id`.
 *
 * @example
 * for await (const { toolCallDeltas } of generator.streamChat(messages, { tools, toolChoice: "required" }))
 *   for (const d of toolCallDeltas ?? []) console.log(d.index, d.name ?? "", d.arguments);
 */
export interface ToolCallDelta {
  /** The call's position among the answer's calls: 0, 1, ... */
  index: number;
  /** The call's id, on its first delta only (the `id` of the result's call). */
  id?: string;
  /** The tool's name, on the call's first delta only. */
  name?: string;
  /** The next piece of the arguments' JSON text (`""` on the first delta). */
  arguments: string;
}

/** A token event as a stream reads it: a chat with tools adds the tool-call pieces the token wrote. */
export interface StreamedTokenEvent extends TokenEvent {
  /** The pieces of tool calls this token wrote. */
  toolCallDeltas?: readonly ToolCallDelta[];
}

/**
 * A generation in progress: iterate it for text deltas as tokens are generated, and await {@link TextStream.result}
 * for the final result with metrics. The deltas always add up to the result's text (the first sequence's, when
 * `numReturnSequences` asks for more); with beam search, whose beams change until the end, the text arrives in one
 * piece when the search ends. A chat with tools streams its calls as chunks' {@link TextChunk.toolCallDeltas}. The
 * one stream of every generative task (generate, chat, translate, summarize, text-to-text), local or remote.
 *
 * @typeParam R - the task's result type ({@link GenerationResult} or one that extends it, such as a translation).
 * @example
 * const s = stream("Once upon a time", { maxNewTokens: 50 });
 * for await (const chunk of s) process.stdout.write(chunk.text);
 * const { finishReason, metrics } = await s.result;
 */
export class TextStream<R extends GenerationResult = GenerationResult> extends ResultStream<TextChunk, R> {
  /** @param run - starts the work, reporting each token of the streamed input through `onToken`. */
  constructor(run: (onToken: (event: StreamedTokenEvent) => void) => Promise<R>) {
    let streamed = "";
    super(
      (push) =>
        run((event) => {
          if (event.input !== 0 || event.sequence !== 0) return; // the result's text is the first sequence's
          streamed += event.text;
          push({
            text: event.text,
            tokenId: event.tokenId,
            ...(event.logprob ? { logprob: event.logprob } : {}),
            ...(event.toolCallDeltas?.length ? { toolCallDeltas: event.toolCallDeltas } : {}),
          });
        }),
      // Whatever the token events did not deliver (beam search, text held back at the end) comes last.
      (result) =>
        result.text.startsWith(streamed) && result.text.length > streamed.length
          ? [{ text: result.text.slice(streamed.length), tokenId: result.tokenIds.at(-1) }]
          : [],
    );
  }

  /**
   * The whole text, once generation ends.
   *
   * @example
   * const text = await stream("Hello").text();
   */
  async text(): Promise<string> {
    return (await this.result).text;
  }
}

/**
 * Calls both token callbacks: the caller's own `onToken`, then the stream's.
 *
 * @example
 * const onToken = chainTokenCallbacks(options.onToken, streamOnToken);
 * @internal
 */
export function chainTokenCallbacks<E>(first: ((event: E) => void) | undefined, second: (event: E) => void): (event: E) => void {
  if (!first) return second;
  return (event) => {
    first(event);
    second(event);
  };
}
