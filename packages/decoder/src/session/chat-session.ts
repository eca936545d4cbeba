import { DisposedError, InputError, type LoadedModel, type PinnedPrefix, TextStream } from "@proj/core";
import { chainTokenCallbacks, checkOptions, describeValue, optionNames, resolveDecodingOptions, withinLimit } from "@proj/core/internal";
import { type ChatMessage, normalizeMessages } from "../chat/messages.js";
import { type PreparedChat, prepareChat, runPreparedChat } from "../chat/run-chat.js";
import { createGenerator } from "../generate/generator.js";
import { GENERATOR_CALL_OPTION_NAMES, TOOL_OPTION_NAMES } from "../generate/option-names.js";
import type { Generator, GeneratorChatOptions } from "../generate/types.js";
import type { ChatResult } from "../tools/tool-chat.js";
import { type GeneratorInternals, internalsOf } from "./generator-internals.js";
import type { ChatSession, ChatSessionOptions, ChatTurnOptions } from "./types.js";

const SESSION_OPTION_NAMES = optionNames<ChatSessionOptions>()([
  "system",
  "messages",
  "contextOverflow",
  "chatTemplate",
  "templateVariables",
  "load",
  "prefixCache",
  "signal",
]);
const TURN_OPTION_NAMES: readonly string[] = [...GENERATOR_CALL_OPTION_NAMES, ...TOOL_OPTION_NAMES];

/** The generator sessions and their forks share, and whether the last of them disposes it. */
interface Owner {
  generator: Generator;
  owned: boolean;
  sessions: number;
}

interface SessionSettings {
  chat: Pick<ChatSessionOptions, "chatTemplate" | "templateVariables">;
  overflow: "truncate-oldest" | "error";
}

/**
 * Starts a conversation that keeps its key/values between turns (node-llama-cpp's `LlamaChatSession` is the model):
 * each turn renders the whole history with the chat template, and the generator's prefix cache, where the session
 * pins what the model has read (the earlier turns and its answers), serves all of it but the new message. A template
 * that renders earlier text differently from how it was generated (or tokens that tokenize differently) falls back to
 * the longest common prefix, in whole blocks of the cache. The model is a local generator, a remote one (the history
 * is kept and sent whole; the server's own prefix cache does the rest), or a model name or folder that the session
 * loads and disposes. With `createGenerator(model, { prefixCache: false })` the session keeps the history but no
 * key/values.
 *
 * @example
 * const generator = await createGenerator("onnx-community/Qwen2.5-0.5B-Instruct");
 * const session = await createChatSession(generator, { system: "You answer in one sentence." });
 * console.log((await session.send("What is a KV cache?")).text);
 * const branch = session.fork();
 * console.log((await branch.send("Say it to a child.")).text);
 * await Promise.all([session.dispose(), branch.dispose()]);
 */
export async function createChatSession(model: string | Generator, options?: ChatSessionOptions): Promise<ChatSession> {
  const { system, messages, contextOverflow, chatTemplate, templateVariables, load, prefixCache, signal } = checkOptions(
    options,
    "createChatSession()",
    SESSION_OPTION_NAMES,
  );
  if (contextOverflow !== undefined && contextOverflow !== "truncate-oldest" && contextOverflow !== "error") {
    throw new InputError(`contextOverflow must be "truncate-oldest" or "error", got ${describeValue(contextOverflow)}`);
  }
  if (system !== undefined && typeof system !== "string") {
    throw new InputError(`system must be a string, got ${typeof system}`, { hint: "pass the system message's text" });
  }
  const history: ChatMessage[] = [...(system !== undefined ? [{ role: "system", content: system }] : []), ...(messages ?? [])];
  if (history.length > 0) normalizeMessages(history); // a malformed message fails here, naming it, not at the first turn
  let owner: Owner;
  if (typeof model === "string") {
    const generator = await createGenerator(model, {
      ...(load ? { load } : {}),
      ...(prefixCache !== undefined ? { prefixCache } : {}),
      ...(signal ? { signal } : {}),
    });
    owner = { generator, owned: true, sessions: 0 };
  } else {
    if (load !== undefined || prefixCache !== undefined) {
      throw new InputError("load and prefixCache apply only when the session loads the model itself", {
        hint: "pass them to createGenerator(), or pass the model's name or folder to createChatSession()",
      });
    }
    owner = { generator: model, owned: false, sessions: 0 };
  }
  const settings: SessionSettings = {
    chat: { ...(chatTemplate !== undefined ? { chatTemplate } : {}), ...(templateVariables !== undefined ? { templateVariables } : {}) },
    overflow: contextOverflow ?? "truncate-oldest",
  };
  return new Session(owner, settings, history, undefined, 0);
}

class Session implements ChatSession {
  readonly #owner: Owner;
  readonly #settings: SessionSettings;
  readonly #internals: GeneratorInternals | undefined;
  #messages: ChatMessage[];
  #pinned: PinnedPrefix | undefined;
  #dropped: number;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(owner: Owner, settings: SessionSettings, messages: ChatMessage[], pinned: PinnedPrefix | undefined, dropped: number) {
    this.#owner = owner;
    this.#settings = settings;
    this.#internals = internalsOf(owner.generator);
    this.#messages = messages;
    this.#pinned = pinned;
    this.#dropped = dropped;
    owner.sessions++;
  }

  get messages(): readonly ChatMessage[] {
    return [...this.#messages];
  }

  get droppedMessages(): number {
    return this.#dropped;
  }

  get cachedTokens(): number {
    return this.#pinned?.length ?? 0;
  }

  get disposed(): boolean {
    return this.#disposed;
  }

  send(message: string | ChatMessage, options?: ChatTurnOptions): Promise<ChatResult> {
    if (this.#disposed) return Promise.reject(new DisposedError("This chat session"));
    const turn = this.#queue.then(() => this.#turn(message, options));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  stream(message: string | ChatMessage, options?: ChatTurnOptions): TextStream<ChatResult> {
    this.#check();
    return new TextStream<ChatResult>((onToken) =>
      this.send(message, { ...options, onToken: chainTokenCallbacks(options?.onToken, onToken) }),
    );
  }

  fork(): ChatSession {
    this.#check();
    const cache = this.#internals?.prefixCache;
    const pinned = this.#pinned && cache ? cache.retain(this.#pinned) : undefined;
    return new Session(this.#owner, this.#settings, [...this.#messages], pinned, this.#dropped);
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#release();
    this.#owner.sessions--;
    if (this.#owner.owned && this.#owner.sessions === 0) await this.#owner.generator.dispose();
  }

  async #turn(message: string | ChatMessage, options: ChatTurnOptions | undefined): Promise<ChatResult> {
    this.#check();
    const call = checkOptions(options, "ChatSession.send()", TURN_OPTION_NAMES);
    const incoming: ChatMessage = typeof message === "string" ? { role: "user", content: message } : message;
    normalizeMessages([incoming]);
    const chatOptions: GeneratorChatOptions = { ...call, ...this.#settings.chat };
    let history = [...this.#messages, incoming];
    let dropped = 0;
    let pinned: PinnedPrefix | undefined;
    let result: ChatResult;
    const internals = this.#internals;
    if (internals) {
      if (this.#owner.generator.disposed) throw new DisposedError("The chat session's generator");
      const fitted = await this.#fit(internals.model, history, chatOptions);
      dropped = history.length - fitted.messages.length;
      history = fitted.messages;
      result = await runPreparedChat(internals.model, internals.engine, fitted.prepared, (p) => {
        pinned = p;
      });
    } else {
      result = await this.#owner.generator.chat(history, chatOptions);
    }
    if (pinned) {
      this.#release();
      this.#pinned = pinned;
      if (this.#disposed) this.#release(); // disposed while the turn ran: nobody will read these key/values
    }
    // A cancelled turn leaves the history as it was (its prompt's key/values stay cached for a retry).
    if (result.finishReason !== "abort") {
      this.#messages = [...history, answerOf(result)];
      this.#dropped += dropped;
    }
    return result;
  }

  /**
   * Drops the oldest turns until the rendered conversation and `maxNewTokens` fit the context (or throws); returns the
   * messages kept and the call prepared for them (rendered once, run as it is).
   */
  async #fit(
    model: LoadedModel,
    history: ChatMessage[],
    options: GeneratorChatOptions,
  ): Promise<{ messages: ChatMessage[]; prepared: PreparedChat }> {
    const context = model.config.maxPositionEmbeddings ?? model.tokenizer.modelMaxLength;
    let messages = history;
    for (;;) {
      const prepared = prepareChat(model, messages, options);
      if (context === undefined) return { messages, prepared };
      const tokens = (await model.tokenizer.encode(prepared.prompt, { addSpecialTokens: options.addSpecialTokens ?? false })).ids.length;
      const maxNewTokens = resolvedMaxNewTokens(model, options, tokens);
      if (tokens + maxNewTokens <= context) return { messages, prepared };
      const first = messages.findIndex((m) => m.role !== "system");
      const next = messages.findIndex((m, i) => i > first && m.role === "user");
      if (this.#settings.overflow === "error" || next < 0) {
        throw new InputError(
          `The conversation renders to ${tokens} tokens; with maxNewTokens ${maxNewTokens} it exceeds the model's context of ${context} tokens`,
          {
            hint:
              next < 0
                ? "the last message is too long by itself: shorten it or lower maxNewTokens"
                : 'lower maxNewTokens, start a new session, or create the session with contextOverflow: "truncate-oldest"',
          },
        );
      }
      messages = [...messages.slice(0, first), ...messages.slice(next)];
    }
  }

  #release(): void {
    if (this.#pinned) this.#internals?.prefixCache?.release(this.#pinned);
    this.#pinned = undefined;
  }

  #check(): void {
    if (this.#disposed) throw new DisposedError("This chat session");
  }
}

/** The answer as the history keeps it: its text, and its tool calls (text `null` when it only called tools). */
function answerOf(result: ChatResult): ChatMessage {
  const calls = result.toolCalls.length > 0;
  return {
    role: "assistant",
    content: calls && result.text === "" ? null : result.text,
    ...(calls ? { toolCalls: result.toolCalls } : {}),
  };
}

/** The `maxNewTokens` a call will use for a prompt of `promptTokens` (its own, or the model's generation config's). */
function resolvedMaxNewTokens(model: LoadedModel, options: GeneratorChatOptions, promptTokens: number): number {
  const decoding = {
    ...(options.maxNewTokens !== undefined ? { maxNewTokens: options.maxNewTokens } : {}),
    ...(options.minNewTokens !== undefined ? { minNewTokens: options.minNewTokens } : {}),
  };
  const limits = { vocabSize: model.config.vocabSize ?? model.tokenizer.vocabSize, eosTokenIds: model.config.eosTokenIds };
  return resolveDecodingOptions(model.generationConfig, withinLimit(model.generationConfig, decoding), limits, promptTokens).maxNewTokens;
}
