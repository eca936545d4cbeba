import type { GenerationResult, LoadedModel } from "@proj/core";
import type { GenerateRowsRequest, GenerationEngine } from "@proj/core/internal";
import { generateBatch } from "../generate/run.js";
import type { GeneratorCallOptions, GeneratorChatOptions } from "../generate/types.js";
import { type ChatResult, planToolChat, type ToolChatPlan } from "../tools/tool-chat.js";
import type { ChatMessage } from "./messages.js";
import { renderChat } from "./template.js";

/** A chat call ready to run: the rendered prompt, the engine's call options, and how the answer is read back. */
export interface PreparedChat {
  /** The conversation rendered by the chat template (tools included). */
  prompt: string;
  /** The call's options for the engine: its response format (or the tool-call constraint) and filtered token callback. */
  call: GeneratorCallOptions;
  /** Parses tool calls out of the answer. */
  plan: ToolChatPlan;
}

/**
 * Renders a conversation for a local model the way `chat()` does: the tools planned (format, constraint, held-back
 * markup) and the messages rendered with the chat template (the model's own, or `chatTemplate`).
 *
 * @example
 * const { prompt } = prepareChat(model, [{ role: "user", content: "Hi" }], {});
 */
export function prepareChat(model: LoadedModel, messages: readonly ChatMessage[], options: GeneratorChatOptions): PreparedChat {
  const { chatTemplate, templateVariables, tools, toolChoice, parallelToolCalls, ...call } = options;
  const toolOptions = {
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    ...(parallelToolCalls !== undefined ? { parallelToolCalls } : {}),
  };
  const plan = planToolChat(chatTemplate ?? model.tokenizerConfig?.chatTemplate, toolOptions, templateVariables, call.responseFormat);
  const prompt = renderChat(model, messages, {
    ...(chatTemplate !== undefined ? { chatTemplate } : {}),
    templateVariables: plan.templateVariables,
  });
  const { responseFormat: _format, onToken, ...rest } = call;
  const onTokenShown = plan.filter(onToken);
  return {
    prompt,
    plan,
    call: {
      ...rest,
      ...(plan.responseFormat !== undefined ? { responseFormat: plan.responseFormat } : {}),
      ...(onTokenShown !== undefined ? { onToken: onTokenShown } : {}),
    },
  };
}

/**
 * Answers a conversation on a local model's engine: {@link prepareChat}, then one generation.
 *
 * @example
 * const result = await runChat(model, engine, messages, { maxNewTokens: 64 });
 */
export async function runChat(
  model: LoadedModel,
  engine: GenerationEngine,
  messages: readonly ChatMessage[],
  options: GeneratorChatOptions,
): Promise<ChatResult> {
  return runPreparedChat(model, engine, prepareChat(model, messages, options));
}

/**
 * Runs a chat call already prepared by {@link prepareChat} (a chat session renders it to check the context);
 * `keepCache` receives the answer's key/values pinned in the prefix cache.
 *
 * @example
 * const result = await runPreparedChat(model, engine, prepareChat(model, messages, options));
 */
export async function runPreparedChat(
  model: LoadedModel,
  engine: GenerationEngine,
  { prompt, call, plan }: PreparedChat,
  keepCache?: GenerateRowsRequest["keepCache"],
): Promise<ChatResult> {
  const [result] = await generateBatch(model, [prompt], call, false, engine, keepCache);
  return plan.finish(result as GenerationResult);
}
