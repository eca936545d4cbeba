import { InputError, type Tokenizer } from "@proj/core";

/**
 * Resolves fill-mask targets to token ids: a vocabulary entry as spelled, else text that the tokenizer turns into
 * exactly one token. A target that is several tokens or none is an {@link InputError} naming it.
 *
 * @example
 * await resolveTargets(tokenizer, ["Paris", "london"]); // [3000, 2414]
 */
export async function resolveTargets(tokenizer: Tokenizer, targets: readonly string[]): Promise<number[]> {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new InputError("targets must be a non-empty array of tokens", {
      hint: 'pass e.g. ["doctor", "nurse"], or omit targets to rank the whole vocabulary',
    });
  }
  const ids: number[] = [];
  for (const target of targets) {
    if (typeof target !== "string" || target.trim() === "") {
      throw new InputError(`targets must be non-empty strings, got ${JSON.stringify(target)}`);
    }
    let id = tokenizer.tokenToId(target);
    if (id === undefined) {
      const encoding = await tokenizer.encode(target, { addSpecialTokens: false });
      if (encoding.ids.length !== 1 || encoding.ids[0] === tokenizer.specialIds.unk) {
        throw new InputError(
          `The target "${target}" is not in the model's vocabulary${encoding.ids.length > 1 ? ` (it is ${encoding.ids.length} tokens: ${encoding.tokens.join(" ")})` : ""}`,
          { hint: "a fill-mask target must be one token of the vocabulary; pass a single word the model knows" },
        );
      }
      id = encoding.ids[0] as number;
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}
