import { Template } from "@huggingface/jinja";
import { InputError, type LoadedModel } from "@proj/core";

/** One message of a conversation. */
export interface ChatMessage {
  /** Who speaks: `"system"`, `"user"`, `"assistant"` (or a role the template knows). */
  role: string;
  /** What is said. */
  content: string;
}

/** Options of {@link chat}. */
export interface ChatOptions {
  /** A Jinja chat template to use instead of the model's own (`chat_template` of tokenizer_config.json). */
  chatTemplate?: string;
  /** Extra variables for the template (tools, dates ...). */
  templateVariables?: Record<string, unknown>;
}

/**
 * Renders a conversation into the prompt text the model was trained on, with its Jinja chat template,
 * ending with the assistant's turn (`add_generation_prompt`).
 *
 * @example
 * const prompt = renderChat(model, [{ role: "user", content: "Hi!" }]);
 */
export function renderChat(model: LoadedModel, messages: readonly ChatMessage[], options: ChatOptions = {}): string {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InputError("Expected a non-empty array of chat messages", { hint: 'pass [{ role: "user", content: "..." }]' });
  }
  messages.forEach((m, i) => {
    if (!m || typeof m.role !== "string" || typeof m.content !== "string") {
      throw new InputError(`messages[${i}] must be { role: string, content: string }`);
    }
  });
  const source = options.chatTemplate ?? model.tokenizerConfig?.chatTemplate;
  if (!source) {
    throw new InputError(`${model.source.label} has no chat template (no chat_template in tokenizer_config.json)`, {
      hint: "use generate() with a plain prompt, pass { chatTemplate } with a Jinja template, or choose an instruction-tuned model",
    });
  }
  let template: Template;
  try {
    template = new Template(source);
  } catch (error) {
    throw new InputError(`The chat template of ${model.source.label} does not parse: ${(error as Error).message}`, { cause: error });
  }
  const special = model.tokenizerConfig?.specialTokens ?? {};
  return template.render({
    messages,
    add_generation_prompt: true,
    bos_token: special.bos ?? "",
    eos_token: special.eos ?? "",
    pad_token: special.pad ?? "",
    unk_token: special.unk ?? "",
    ...options.templateVariables,
  });
}
