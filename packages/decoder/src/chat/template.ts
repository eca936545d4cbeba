import { Template } from "@huggingface/jinja";
import { InputError, type LoadedModel, TemplateError } from "@proj/core";
import { type ChatMessage, type ChatOptions, normalizeMessages } from "./messages.js";

/**
 * Renders a conversation into the prompt text the model was trained on, with its Jinja chat template,
 * ending with the assistant's turn (`add_generation_prompt`). Messages may carry OpenAI-style text parts. A template
 * that fails while rendering (`raise_exception("...")`, as Llama, Mistral and Gemma templates do for a conversation
 * they cannot take, or an unknown filter) is a `TemplateError` with the template's message.
 *
 * @example
 * const prompt = renderChat(model, [{ role: "user", content: "Hi!" }]);
 */
export function renderChat(model: LoadedModel, messages: readonly ChatMessage[], options: ChatOptions = {}): string {
  const rendered = normalizeMessages(messages);
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
  try {
    return template.render({
      messages: rendered,
      add_generation_prompt: true,
      bos_token: special.bos ?? "",
      eos_token: special.eos ?? "",
      pad_token: special.pad ?? "",
      unk_token: special.unk ?? "",
      ...options.templateVariables,
    });
  } catch (error) {
    // raise_exception("...") (jinja's built-in, as in transformers) throws the template's own message.
    throw new TemplateError(`The chat template of ${model.source.label} failed: ${(error as Error).message}`, {
      hint: "change the messages as the template asks (roles often must alternate user/assistant), or fix the template (an unknown filter or function) or pass the templateVariables it needs",
      cause: error,
    });
  }
}
