import type { LoadOptions, TextStream } from "@proj/core";
import type { ChatMessage, ChatOptions } from "../chat/messages.js";
import type { GeneratorCallOptions, GeneratorOptions } from "../generate/types.js";
import type { ChatResult } from "../tools/tool-chat.js";
import type { ToolOptions } from "../tools/types.js";

/** Options of one turn of a {@link ChatSession}: decoding options, the token callback, and the tools. */
export interface ChatTurnOptions extends GeneratorCallOptions, ToolOptions {}

/**
 * Options of {@link createChatSession}: the conversation's start, its template, what happens when it outgrows the
 * model's context, and (when the model is given by name) how to load it.
 */
export interface ChatSessionOptions extends ChatOptions {
  /** The system message the conversation starts with (kept when older turns are dropped). */
  system?: string;
  /** Earlier messages to start from, after the system message. */
  messages?: readonly ChatMessage[];
  /**
   * When the conversation plus `maxNewTokens` outgrows the model's context: `"truncate-oldest"` drops the oldest
   * turns (a user message and the answers after it; the system message stays) until it fits, and counts them in
   * {@link ChatSession.droppedMessages}; `"error"` throws an InputError. A last message that alone does not fit is an
   * InputError either way. @defaultValue "truncate-oldest"
   */
  contextOverflow?: "truncate-oldest" | "error";
  /** When the model is given by name or path: how it is loaded (the session then owns it and disposes it). */
  load?: LoadOptions;
  /** When the model is given by name or path: the generator's prefix cache options. */
  prefixCache?: GeneratorOptions["prefixCache"];
  /** Cancels the load. */
  signal?: AbortSignal;
}

/**
 * A conversation that keeps its place in the model: each turn renders the whole history with the chat template, but
 * the key/values of what was already read (earlier turns and the answers, pinned in the generator's prefix cache) are
 * reused, so a turn prefills only the new message. Turns run one at a time, in the order they were sent.
 *
 * @example
 * const session = await createChatSession("./models/qwen", { system: "You are terse." });
 * const first = await session.send("What is ONNX?");
 * const second = await session.send("And ONNX Runtime?"); // prefills only this message
 * await session.dispose();
 */
export interface ChatSession {
  /** The conversation so far, as the model sees it (system message first; dropped turns are gone). */
  readonly messages: readonly ChatMessage[];
  /** Messages dropped so far because the conversation outgrew the context (`contextOverflow: "truncate-oldest"`). */
  readonly droppedMessages: number;
  /** Tokens of the conversation whose key/values the session holds (0 for a remote generator). */
  readonly cachedTokens: number;
  /** True once disposed. */
  readonly disposed: boolean;
  /** Sends a user message (or any message) and returns the answer, which joins the history. */
  send(message: string | ChatMessage, options?: ChatTurnOptions): Promise<ChatResult>;
  /** Like {@link ChatSession.send}, streaming the answer's text. */
  stream(message: string | ChatMessage, options?: ChatTurnOptions): TextStream<ChatResult>;
  /** A new session with this one's history and key/values (shared, read-only), to branch the conversation. */
  fork(): ChatSession;
  /** Frees the session's key/values (and the model, when the session loaded it). */
  dispose(): Promise<void>;
}
