import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
} from "@ai-sdk/provider";
import { InputError, type LoadOptions, TextStream } from "@proj/core";
import type { ChatResult, Generator, GeneratorCallOptions, LocalGenerator, ToolOptions } from "@proj/decoder";
import { generatorOf } from "../handles.js";
import { mapCallOptions } from "./call-options.js";
import { toChatMessages, toCompletionPrompt } from "./convert-prompt.js";
import { finishReasonOf, usageOf } from "./result-parts.js";
import { ToolInputParts } from "./tool-input-parts.js";

/**
 * Settings of one language model of the provider.
 *
 * @example
 * const model = proj.languageModel("./models/gpt2", { mode: "completion", load: { threads: 2 } });
 */
export interface ProjLanguageModelSettings {
  /**
   * How the AI SDK's prompt reaches the model: `"chat"` renders the messages with the chat template, `"completion"`
   * continues one plain prompt (a prompt that is one user message), `"auto"` chats when the model (or
   * `chatTemplate`) has a template and a remote generator is given, and continues otherwise. @defaultValue "auto"
   */
  mode?: "auto" | "chat" | "completion";
  /** A Jinja chat template to use instead of the model's own. */
  chatTemplate?: string;
  /** Extra variables for the chat template. */
  templateVariables?: Record<string, unknown>;
  /** How the model is loaded; replaces the provider's `load` for this model. */
  load?: LoadOptions;
}

/**
 * A language model of the AI SDK's current specification (v3) over a `@proj` generator: `generateText`, `streamText`,
 * `generateObject` and `streamObject` of the `ai` package run the model in this process, with @proj's continuous
 * batching across concurrent calls. Made by {@link ProjProvider.languageModel}; the model loads on the first call
 * and is cached (see `disposeCachedHandles`).
 *
 * @example
 * const { text } = await generateText({ model: new ProjLanguageModel("./models/gpt2", {}, undefined), prompt: "Hello" });
 */
export class ProjLanguageModel implements LanguageModelV3 {
  /** The specification this model implements. */
  readonly specificationVersion = "v3";
  /** The provider's name. */
  readonly provider = "proj";
  /** The model folder or Hub id (for a handle, `"generator"`). */
  readonly modelId: string;
  /** No URL is read by the model itself: files are refused. */
  readonly supportedUrls: Record<string, RegExp[]> = {};
  readonly #model: string | Generator;
  readonly #settings: ProjLanguageModelSettings;
  readonly #load: LoadOptions | undefined;

  /**
   * @param model - a model folder, a Hub id, or a generator made with `createGenerator` / `createRemoteGenerator`
   * @param settings - how prompts are rendered and the model loaded
   * @param providerLoad - the provider's load options (the settings' `load` wins)
   */
  constructor(model: string | Generator, settings: ProjLanguageModelSettings, providerLoad: LoadOptions | undefined) {
    this.#model = model;
    this.modelId = typeof model === "string" ? model : "generator";
    this.#settings = settings;
    this.#load = settings.load ?? providerLoad;
  }

  /**
   * Generates the whole answer (what `generateText` and `generateObject` call).
   *
   * @example
   * const result = await model.doGenerate({ prompt: [{ role: "user", content: [{ type: "text", text: "Hi" }] }] });
   */
  async doGenerate(call: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { options, warnings, tools } = mapCallOptions(call);
    const generator = await generatorOf(this.#model, this.#load, call.abortSignal);
    const result = await this.#run(generator, call, options, tools);
    return {
      content: [
        ...(result.text === "" ? [] : [{ type: "text" as const, text: result.text }]),
        ...result.toolCalls.map((c) => ({
          type: "tool-call" as const,
          toolCallId: c.id,
          toolName: c.name,
          input: JSON.stringify(c.arguments),
        })),
      ],
      finishReason: finishReasonOf(result),
      usage: usageOf(result.metrics),
      warnings,
      response: { modelId: this.modelId, timestamp: new Date() },
    };
  }

  /**
   * Streams the answer as text deltas (what `streamText` and `streamObject` call), and tool calls as they are
   * generated: `tool-input-start` once a call's name is complete, `tool-input-delta` for each piece of its JSON input,
   * then `tool-input-end` and the `tool-call` when the answer ends. Cancelling the stream stops the generation, as
   * the call's `abortSignal` does.
   *
   * @example
   * const { stream } = await model.doStream({ prompt });
   */
  async doStream(call: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { options, warnings, tools } = mapCallOptions(call);
    const cancel = new AbortController();
    const signal = call.abortSignal ? AbortSignal.any([call.abortSignal, cancel.signal]) : cancel.signal;
    const generator = await generatorOf(this.#model, this.#load, signal);
    const text = this.#stream(generator, call, { ...options, signal }, tools);
    const modelId = this.modelId;
    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      async start(controller) {
        controller.enqueue({ type: "stream-start", warnings });
        controller.enqueue({ type: "response-metadata", modelId, timestamp: new Date() });
        const id = "text-0";
        let open = false;
        const inputs = new ToolInputParts((part) => controller.enqueue(part));
        try {
          for await (const chunk of text) {
            if (chunk.text !== "") {
              if (!open) controller.enqueue({ type: "text-start", id });
              open = true;
              controller.enqueue({ type: "text-delta", id, delta: chunk.text });
            }
            for (const delta of chunk.toolCallDeltas ?? []) inputs.add(delta);
          }
          const result = await text.result;
          if (open) controller.enqueue({ type: "text-end", id });
          inputs.finish(result.toolCalls);
          controller.enqueue({ type: "finish", finishReason: finishReasonOf(result), usage: usageOf(result.metrics) });
        } catch (error) {
          controller.enqueue({ type: "error", error });
        }
        controller.close();
      },
      cancel(reason) {
        cancel.abort(reason);
      },
    });
    return { stream };
  }

  #chats(generator: Generator): boolean {
    const mode = this.#settings.mode ?? "auto";
    if (mode !== "auto") return mode === "chat";
    if (this.#settings.chatTemplate !== undefined) return true;
    if (!("model" in generator)) return true; // a remote server renders its own template
    return Boolean((generator as LocalGenerator).model.tokenizerConfig?.chatTemplate);
  }

  #chatOptions(): Pick<ProjLanguageModelSettings, "chatTemplate" | "templateVariables"> {
    const { chatTemplate, templateVariables } = this.#settings;
    return { ...(chatTemplate !== undefined ? { chatTemplate } : {}), ...(templateVariables !== undefined ? { templateVariables } : {}) };
  }

  #run(generator: Generator, call: LanguageModelV3CallOptions, options: GeneratorCallOptions, tools: ToolOptions): Promise<ChatResult> {
    if (this.#chats(generator)) return generator.chat(toChatMessages(call.prompt), { ...options, ...this.#chatOptions(), ...tools });
    this.#noTools(tools);
    return generator.generate(toCompletionPrompt(call.prompt, this.modelId), options).then((result) => ({ ...result, toolCalls: [] }));
  }

  #stream(
    generator: Generator,
    call: LanguageModelV3CallOptions,
    options: GeneratorCallOptions,
    tools: ToolOptions,
  ): TextStream<ChatResult> {
    if (this.#chats(generator)) return generator.streamChat(toChatMessages(call.prompt), { ...options, ...this.#chatOptions(), ...tools });
    this.#noTools(tools);
    const prompt = toCompletionPrompt(call.prompt, this.modelId);
    return new TextStream<ChatResult>((onToken) =>
      generator.generate(prompt, { ...options, onToken }).then((result) => ({ ...result, toolCalls: [] })),
    );
  }

  #noTools(tools: ToolOptions): void {
    if (tools.tools !== undefined) {
      throw new InputError(`${this.modelId} has no chat template, so it cannot be shown tools`, {
        hint: 'give the model a template with tools: proj.languageModel(id, { chatTemplate: "..." })',
      });
    }
  }
}
