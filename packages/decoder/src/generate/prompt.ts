import { InputError, type LoadedModel } from "@proj/core";

/**
 * Tokenizes a prompt, rejecting anything that is not non-empty text.
 *
 * @example
 * const ids = await encodePrompt(model, "Once upon a time", true);
 */
export async function encodePrompt(model: LoadedModel, prompt: unknown, addSpecialTokens: boolean): Promise<number[]> {
  if (typeof prompt !== "string") {
    throw new InputError(
      `Expected the prompt to be a string, got ${prompt === null ? "null" : Array.isArray(prompt) ? "an array" : typeof prompt}`,
    );
  }
  if (prompt.length === 0) throw new InputError("The prompt is empty", { hint: "pass at least one character of text to continue" });
  const ids = (await model.tokenizer.encode(prompt, { addSpecialTokens })).ids;
  if (ids.length === 0) throw new InputError("The prompt has no tokens after tokenization", { hint: "pass text the tokenizer can encode" });
  return ids;
}

/**
 * Checks that a prompt and the tokens to generate fit the model's context (`max_position_embeddings`),
 * dropping the oldest prompt tokens when `mode` is `"left"`.
 *
 * @example
 * const fitted = fitToContext(model, ids, 128, "left");
 */
export function fitToContext(model: LoadedModel, ids: number[], maxNewTokens: number, mode: "error" | "left"): number[] {
  const context = model.config.maxPositionEmbeddings ?? model.tokenizer.modelMaxLength;
  if (context === undefined || ids.length + maxNewTokens <= context) return ids;
  const room = context - maxNewTokens;
  if (mode === "left" && room > 0) return ids.slice(ids.length - room);
  throw new InputError(
    `The prompt has ${ids.length} tokens; with maxNewTokens ${maxNewTokens} that exceeds the model's context of ${context} tokens`,
    {
      hint:
        room > 0
          ? 'shorten the prompt, lower maxNewTokens, or pass truncatePrompt: "left" to drop the oldest tokens'
          : `lower maxNewTokens below ${context}`,
    },
  );
}
