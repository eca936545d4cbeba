import {
  type FinishReason,
  type GeneratedSequence,
  type GenerationMetrics,
  SessionError,
  type StreamedTokenEvent,
  type TokenEvent,
  type TokenLogprob,
} from "@proj/core";
import { stats } from "@proj/core/internal";
import { toolArguments } from "../tools/formats/tool-call-format.js";
import type { ChatResult } from "../tools/tool-chat.js";
import type { ToolCall, ToolCallDelta } from "../tools/types.js";

const utf8 = new TextEncoder();

/**
 * A choice's log-probabilities as the SDK's entries: chat's `content` (with bytes) or completions' parallel lists
 * (bytes from the token's text); token ids where the server sent them (`return_token_ids`), else -1.
 */
function readLogprobs(wire: WireLogprobs, ids: readonly number[]): TokenLogprob[] {
  const bytesOf = (token: string, bytes: number[] | null | undefined): number[] => bytes ?? [...utf8.encode(token)];
  if (wire.content) {
    return wire.content.map((e, k) => ({
      tokenId: ids[k] ?? -1,
      token: e.token,
      bytes: bytesOf(e.token, e.bytes),
      logprob: e.logprob,
      topLogprobs: (e.top_logprobs ?? []).map((c) => ({
        tokenId: -1,
        token: c.token,
        bytes: bytesOf(c.token, c.bytes),
        logprob: c.logprob,
      })),
    }));
  }
  return (wire.tokens ?? []).map((token, k) => ({
    tokenId: ids[k] ?? -1,
    token,
    bytes: bytesOf(token, undefined),
    logprob: wire.token_logprobs?.[k] ?? Number.NEGATIVE_INFINITY,
    topLogprobs: Object.entries(wire.top_logprobs?.[k] ?? {})
      .map(([t, logprob]) => ({ tokenId: -1, token: t, bytes: bytesOf(t, undefined), logprob }))
      .sort((a, b) => b.logprob - a.logprob),
  }));
}

/** A call assembled from the wire: its arguments parsed from their JSON text (a server's malformed JSON is a `SessionError`). */
function toolCall(piece: { id: string; name: string; args: string }): ToolCall {
  const args = toolArguments(piece.args);
  if (!args) {
    throw new SessionError(
      `The server sent tool call ${piece.name} whose arguments are not JSON text of an object: ${piece.args.slice(0, 200)}`,
    );
  }
  return { id: piece.id, name: piece.name, arguments: args };
}

/** A tool call as OpenAI sends it: whole in a message, or in pieces (by `index`) in stream deltas. */
export interface WireToolCall {
  index?: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** A token's log-probability as chat completions send it. */
interface WireChatLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: Array<{ token: string; logprob: number; bytes?: number[] | null }>;
}

/** The `logprobs` of a choice: chat's `{ content }`, or completions' parallel lists. */
interface WireLogprobs {
  content?: WireChatLogprob[] | null;
  tokens?: string[];
  token_logprobs?: Array<number | null>;
  top_logprobs?: Array<Record<string, number> | null> | null;
}

/** One choice of an OpenAI-compatible response or stream chunk, completion or chat. */
export interface WireChoice {
  index?: number;
  text?: string | null;
  logprobs?: WireLogprobs | null;
  message?: { content?: string | null; tool_calls?: WireToolCall[] | null };
  delta?: { content?: string | null; tool_calls?: WireToolCall[] | null };
  finish_reason?: string | null;
  token_ids?: number[] | null;
}

/** The parts of a response or chunk the remote source reads. */
export interface WireResponse {
  choices?: WireChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number; prompt_tokens_details?: { cached_tokens?: number } | null } | null;
  error?: unknown;
}

interface Slot {
  text: string;
  tokenIds: number[];
  finish: FinishReason | undefined;
  calls: Array<{ id: string; name: string; args: string }>;
  logprobs: TokenLogprob[] | undefined;
}

/**
 * Gathers the choices of one remote call (a whole response, or stream chunks as they come) into the
 * results a local generator returns: `n` sequences per prompt, choice `i` being prompt `floor(i / n)`, sequence
 * `i % n`; with client-side timings, and the tool calls of each prompt's first choice (whole, or assembled from
 * stream deltas by index; streamed deltas also reach `onToken` as an event's `toolCallDeltas`, with no text).
 *
 * @example
 * const collector = new ChoiceCollector(1, 1, onToken);
 * collector.add(chunk);
 * const [result] = collector.finish(false);
 */
export class ChoiceCollector {
  readonly #n: number;
  readonly #slots: Slot[];
  readonly #onToken: ((event: TokenEvent) => void) | undefined;
  readonly #start = performance.now();
  #first: number | undefined;
  #last: number | undefined;
  readonly #gaps: number[] = [];
  #promptTokens = 0;
  #generatedTokens: number | undefined;
  #cachedTokens: number | undefined;

  constructor(inputs: number, n: number, onToken?: (event: TokenEvent) => void) {
    this.#n = n;
    this.#slots = Array.from({ length: inputs * n }, () => ({ text: "", tokenIds: [], finish: undefined, calls: [], logprobs: undefined }));
    this.#onToken = onToken;
  }

  /** Adds a whole response or one stream chunk. */
  add(response: WireResponse): void {
    const now = performance.now();
    for (const choice of response.choices ?? []) {
      const index = choice.index ?? 0;
      const slot = this.#slots[index];
      if (!slot) throw new SessionError(`The server answered choice ${index}, but only ${this.#slots.length} were asked for`);
      const text = choice.text ?? choice.message?.content ?? choice.delta?.content ?? "";
      const ids = choice.token_ids ?? [];
      const logprobs = choice.logprobs ? readLogprobs(choice.logprobs, ids) : [];
      if (choice.logprobs) {
        slot.logprobs ??= [];
        slot.logprobs.push(...logprobs); // appended in place: a stream sends one token per chunk
      }
      if (text !== "" || ids.length > 0 || logprobs.length > 0) {
        this.#mark(now);
        slot.text += text;
        slot.tokenIds.push(...ids);
        const event = { input: Math.floor(index / this.#n), sequence: index % this.#n };
        const count = Math.max(ids.length, logprobs.length, 1);
        for (let k = 0; k < count; k++) {
          const logprob = logprobs[k];
          this.#onToken?.({ ...event, tokenId: ids[k] ?? -1, text: k === count - 1 ? text : "", ...(logprob ? { logprob } : {}) });
        }
      }
      const calls = choice.message?.tool_calls ?? choice.delta?.tool_calls ?? [];
      const deltas: ToolCallDelta[] = [];
      for (const [k, call] of calls.entries()) {
        const at = call.index ?? k;
        const fresh = slot.calls[at] === undefined;
        const piece = slot.calls[at] ?? { id: "", name: "", args: "" };
        slot.calls[at] = piece;
        piece.id ||= call.id ?? "";
        piece.name += call.function?.name ?? "";
        piece.args += call.function?.arguments ?? "";
        // A streamed call's pieces, in the local stream's form: the first with id and name, then argument text.
        if (fresh) deltas.push({ index: at, id: piece.id, name: piece.name, arguments: "" });
        if (call.function?.arguments) deltas.push({ index: at, arguments: call.function.arguments });
      }
      if (choice.delta && deltas.length > 0 && index % this.#n === 0) {
        const event: StreamedTokenEvent = {
          input: Math.floor(index / this.#n),
          sequence: 0,
          tokenId: -1,
          text: "",
          toolCallDeltas: deltas,
        };
        this.#onToken?.(event);
      }
      if (choice.finish_reason) slot.finish = choice.finish_reason === "length" ? "length" : "stop";
    }
    if (response.usage) {
      this.#promptTokens = response.usage.prompt_tokens ?? this.#promptTokens;
      this.#generatedTokens = response.usage.completion_tokens ?? this.#generatedTokens;
      this.#cachedTokens = response.usage.prompt_tokens_details?.cached_tokens ?? this.#cachedTokens;
    }
  }

  #mark(now: number): void {
    if (this.#first === undefined) this.#first = now;
    else if (this.#last !== undefined && now > this.#last) this.#gaps.push(now - this.#last);
    this.#last = now;
  }

  /**
   * The results; `cut` marks unfinished choices `"abort"` (cancelled) or `"length"` (`maxTime`), and without it an
   * unfinished choice means the server broke off, a `SessionError`.
   */
  finish(cut: FinishReason | undefined): ChatResult[] {
    const metrics = this.#metrics();
    const results: ChatResult[] = [];
    for (let input = 0; input < this.#slots.length / this.#n; input++) {
      const sequences: GeneratedSequence[] = this.#slots.slice(input * this.#n, (input + 1) * this.#n).map((slot) => {
        const finishReason = slot.finish ?? cut;
        if (!finishReason)
          throw new SessionError("The server ended the stream before every choice finished", { hint: "check the server's logs" });
        return { text: slot.text, tokenIds: slot.tokenIds, finishReason, ...(slot.logprobs ? { logprobs: slot.logprobs } : {}) };
      });
      const best = sequences[0] as GeneratedSequence;
      const toolCalls = (this.#slots[input * this.#n] as Slot).calls.map(toolCall);
      results.push({
        text: best.text,
        tokenIds: best.tokenIds,
        finishReason: best.finishReason,
        sequences,
        metrics,
        toolCalls,
        ...(best.logprobs ? { logprobs: best.logprobs } : {}),
      });
    }
    return results;
  }

  #metrics(): GenerationMetrics {
    const end = performance.now();
    const generated = this.#generatedTokens ?? this.#slots.reduce((n, s) => n + s.tokenIds.length, 0);
    const first = this.#first ?? end;
    const totalMs = end - this.#start;
    return {
      promptTokens: this.#promptTokens,
      generatedTokens: generated,
      ...(this.#cachedTokens !== undefined ? { cachedTokens: this.#cachedTokens } : {}),
      tokenizeMs: 0,
      queueMs: 0,
      prefillMs: first - this.#start,
      decodeMs: end - first,
      ttftMs: first - this.#start,
      // Token gaps exist only when tokens arrived one by one (streamed); the model's memory is the server's, not ours.
      ...(this.#gaps.length > 0 ? { tpot: stats(this.#gaps) } : {}),
      tokensPerSecond: (generated * 1000) / Math.max(totalMs, 1e-6),
      totalMs,
    };
  }
}
