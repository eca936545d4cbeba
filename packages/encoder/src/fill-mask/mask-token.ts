/**
 * The common spellings of a mask: BERT's `[MASK]` and RoBERTa's `<mask>`. A text may use either, whatever the
 * model's own mask token is; {@link toModelMask} rewrites them to it.
 *
 * @example
 * MASK_SPELLINGS; // ["[MASK]", "<mask>"]
 */
export const MASK_SPELLINGS: readonly string[] = ["[MASK]", "<mask>"];

/**
 * Rewrites every common mask spelling in a text (`[MASK]`, `<mask>`) to the model's own mask token, so
 * `fillMask("A man is playing a <mask>.")` works on a `[MASK]` model and the other way round. The one place where
 * the library, `proj fill-mask` and the server's `/v1/fill-mask` map mask spellings.
 *
 * @example
 * toModelMask("A man is playing a <mask>.", "[MASK]"); // "A man is playing a [MASK]."
 * toModelMask("Paris is the [MASK] of France.", "<mask>"); // "Paris is the <mask> of France."
 */
export function toModelMask(text: string, maskToken: string): string {
  let out = text;
  for (const spelling of MASK_SPELLINGS) if (spelling !== maskToken) out = out.replaceAll(spelling, maskToken);
  return out;
}
