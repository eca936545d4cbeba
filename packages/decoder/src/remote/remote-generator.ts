import { DisposedError, type FinishReason, type GenerationResult, InputError, SessionError, TextStream, throwIfAborted } from "@proj/core";
import { chainTokenCallbacks, checkOptions, remoteError } from "@proj/core/internal";
import { type ChatMessage, normalizeMessages, type RenderedMessage } from "../chat/messages.js";
import { checkTools } from "../tools/check-tools.js";
import type { ChatResult } from "../tools/tool-chat.js";
import { GENERATOR_CALL_OPTION_NAMES, GENERATOR_CHAT_OPTION_NAMES } from "../generate/option-names.js";
import type { GeneratorCallOptions, GeneratorChatOptions } from "../generate/types.js";
import { ChoiceCollector, type WireResponse } from "./collect-choices.js";
import type { RemoteGenerator, RemoteGeneratorOptions } from "./options.js";
import { sseData } from "./sse.js";
import { wireParams } from "./wire-params.js";

type CallOptions = GeneratorChatOptions;

const STATUS_OF_TYPE: Readonly<Record<string, number>> = { invalid_request_error: 400, overloaded_error: 429 };

function checkPrompts(input: unknown): void {
  const prompts = Array.isArray(input) ? input : [input];
  if (prompts.length === 0) throw new InputError("Expected at least one prompt", { hint: "pass a string or a non-empty array of strings" });
  prompts.forEach((p) => {
    if (typeof p !== "string") throw new InputError(`Expected the prompt to be a string, got ${p === null ? "null" : typeof p}`);
    if (p.length === 0) throw new InputError("The prompt is empty", { hint: "pass at least one character of text to continue" });
  });
}

/**
 * A generator whose model runs behind an OpenAI-compatible endpoint (`@proj/server`, TGI, vLLM, or a load
 * balancer over replicas): `generate`, `stream`, `chat` and `streamChat` as on a local `Generator`, sent with
 * `fetch` (streams read as server-sent events). Decoding options map to OpenAI fields; an option with no field
 * (beam search, forced tokens ...) is an `InputError`. `signal` cancels the request (finish reason `"abort"`),
 * `maxTime` cuts it client-side (`"length"`), HTTP errors become the SDK's typed errors.
 *
 * @example
 * const generator = createRemoteGenerator({ baseURL: "http://127.0.0.1:8000/v1", model: "gpt2" });
 * const { text } = await generator.generate("Once upon a time", { maxNewTokens: 20, temperature: 0 });
 * for await (const { text } of generator.streamChat([{ role: "user", content: "Hi!" }])) process.stdout.write(text);
 */
export function createRemoteGenerator(options: RemoteGeneratorOptions): RemoteGenerator {
  if (typeof options?.baseURL !== "string" || !/^https?:\/\//.test(options.baseURL)) {
    throw new InputError(`baseURL must be an http(s) URL, got ${String(options?.baseURL)}`, {
      hint: 'pass e.g. "http://127.0.0.1:8000/v1"',
    });
  }
  if (typeof options.model !== "string" || options.model === "")
    throw new InputError("model must be the served model's name", { hint: "GET /v1/models lists them" });
  const base = options.baseURL.replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  let disposed = false;

  async function call(path: string, payload: Record<string, unknown>, inputs: number, opts: CallOptions): Promise<ChatResult[]> {
    if (disposed) throw new DisposedError(`The remote generator for ${base}`);
    throwIfAborted(opts.signal);
    const { logprobs, topLogprobs, ...sendable } = opts;
    const top = topLogprobs ?? (logprobs ? 0 : undefined);
    const wire = { ...wireParams(sendable), ...(top === undefined ? {} : logprobFields(path, top)) };
    const streaming = opts.onToken !== undefined;
    const collector = new ChoiceCollector(inputs, opts.numReturnSequences ?? 1, opts.onToken);
    const controller = new AbortController();
    let cut: FinishReason | undefined;
    const onAbort = (): void => {
      cut ??= "abort";
      controller.abort();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const onTimeout = (): void => {
      cut ??= "length";
      controller.abort();
    };
    const timer = opts.maxTime === undefined ? undefined : setTimeout(onTimeout, opts.maxTime);
    const url = `${base}${path}`;
    const body = {
      model: options.model,
      ...payload,
      ...wire,
      ...(options.returnTokenIds ? { return_token_ids: true } : {}),
      ...(streaming ? { stream: true, stream_options: { include_usage: true } } : {}),
    };
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: streaming ? "text/event-stream" : "application/json",
      ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      ...options.headers,
    };
    try {
      const response = await doFetch(url, { method: "POST", headers, body: JSON.stringify(body), signal: controller.signal }).catch(
        (error: unknown) => {
          if (cut) throw error;
          throw new SessionError(`Could not reach ${url}: ${(error as Error).message}`, {
            hint: "check that the server runs and that baseURL ends with /v1",
            cause: error,
          });
        },
      );
      if (!response.ok) throw remoteError(response.status, await response.text(), response.headers.get("retry-after"), url);
      if (!streaming || !response.body) {
        collector.add((await response.json()) as WireResponse);
        return collector.finish(cut);
      }
      for await (const data of sseData(response.body)) {
        if (data === "[DONE]") break;
        let chunk: WireResponse;
        try {
          chunk = JSON.parse(data) as WireResponse;
        } catch (error) {
          throw new SessionError(`${url} streamed a chunk that is not JSON: ${data.slice(0, 200)}`, { cause: error });
        }
        if (chunk.error !== undefined) {
          const type = (chunk.error as { type?: unknown }).type;
          throw remoteError(typeof type === "string" ? (STATUS_OF_TYPE[type] ?? 500) : 500, data, null, url);
        }
        collector.add(chunk);
      }
      return collector.finish(cut);
    } catch (error) {
      if (cut) return collector.finish(cut);
      throw error;
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
    }
  }

  async function generate(prompt: string, options?: GeneratorCallOptions): Promise<GenerationResult>;
  async function generate(prompts: string[], options?: GeneratorCallOptions): Promise<GenerationResult[]>;
  async function generate(input: string | string[], options?: GeneratorCallOptions): Promise<GenerationResult | GenerationResult[]> {
    const opts = checkOptions(options, "generate()", GENERATOR_CALL_OPTION_NAMES);
    checkPrompts(input);
    const results = (await call("/completions", { prompt: input }, Array.isArray(input) ? input.length : 1, opts)).map(
      ({ toolCalls: _none, ...result }) => result,
    );
    return Array.isArray(input) ? results : (results[0] as GenerationResult);
  }
  const chat = async (messages: readonly ChatMessage[], options?: CallOptions): Promise<ChatResult> => {
    const opts = checkOptions(options, "chat()", GENERATOR_CHAT_OPTION_NAMES);
    const { tools, toolChoice, parallelToolCalls, ...rest } = opts;
    const checked = checkTools({ ...(tools ? { tools } : {}), ...(toolChoice ? { toolChoice } : {}) });
    const toolFields = {
      ...(checked ? { tools: checked.tools } : {}),
      ...(checked && toolChoice !== undefined
        ? { tool_choice: typeof toolChoice === "string" ? toolChoice : { type: "function", function: { name: toolChoice.name } } }
        : {}),
      ...(parallelToolCalls !== undefined ? { parallel_tool_calls: parallelToolCalls } : {}),
    };
    const [result] = await call("/chat/completions", { messages: wireMessages(normalizeMessages(messages)), ...toolFields }, 1, rest);
    return result as ChatResult;
  };
  return {
    task: "generate",
    baseURL: base,
    modelId: options.model,
    get disposed() {
      return disposed;
    },
    generate,
    stream: (prompt, options) => {
      const opts = checkOptions(options, "stream()", GENERATOR_CALL_OPTION_NAMES);
      return new TextStream((onToken) => generate(prompt, { ...opts, onToken: chainTokenCallbacks(opts.onToken, onToken) }));
    },
    chat,
    streamChat: (messages, options) => {
      const opts = checkOptions(options, "streamChat()", GENERATOR_CHAT_OPTION_NAMES);
      return new TextStream<ChatResult>((onToken) => chat(messages, { ...opts, onToken: chainTokenCallbacks(opts.onToken, onToken) }));
    },
    async dispose() {
      disposed = true;
    },
  };
}

/**
 * Rendered messages in OpenAI's wire shape: tool-call arguments as JSON text, `content: null` for an assistant
 * message that only made calls.
 */
function wireMessages(messages: readonly RenderedMessage[]): Array<Record<string, unknown>> {
  return messages.map((m) => {
    if (m.tool_calls === undefined) return { ...m };
    const calls = m.tool_calls.map((c) => ({ ...c, function: { name: c.function.name, arguments: JSON.stringify(c.function.arguments) } }));
    return { ...m, content: m.content === "" ? null : m.content, tool_calls: calls };
  });
}

/** How each endpoint asks for log-probabilities: chat's `logprobs: true` + `top_logprobs`, completions' `logprobs: n`. */
function logprobFields(path: string, top: number): Record<string, unknown> {
  return path === "/chat/completions" ? { logprobs: true, top_logprobs: top } : { logprobs: top };
}
