import { embeddedModelOr } from "@proj/models";
import { resolveHandle, taskCache } from "../shared/handles.js";
import type { ModelOptions } from "../shared/options.js";
import { checkOptions, checkTexts, checkTopK } from "../shared/validate.js";
import { createFillMask, DEFAULT_FILL_MASK_MODEL, type FillMasker } from "./fill-masker.js";
import type { FillMaskCallOptions, FillMaskPrediction } from "./types.js";

/**
 * Options of {@link fillMask}: the model (folder, Hub id or {@link FillMasker}), how to load it, and the call options.
 *
 * @example
 * const options: FillMaskOptions = { model: "./models/bert-base-uncased", topK: 10 };
 */
export interface FillMaskOptions extends ModelOptions<FillMasker>, FillMaskCallOptions {}

const maskers = taskCache<FillMasker>();

/**
 * The fill-mask handle a call uses (the one given, or a cached one); shared with {@link auditBias}.
 *
 * @example
 * const masker = await fillMaskHandle({ model: "./models/bert" });
 * @internal
 */
export function fillMaskHandle(options: FillMaskOptions): Promise<FillMasker> {
  return resolveHandle(options.model, options, "fillMask", embeddedModelOr("fill-mask", DEFAULT_FILL_MASK_MODEL), maskers, createFillMask);
}

/**
 * Predicts the token behind the mask token (`[MASK]` for BERT, `<mask>` for RoBERTa) with a masked language model,
 * as the Hugging Face fill-mask pipeline does. Each text must hold exactly one mask token.
 *
 * @example
 * const candidates = await fillMask("Paris is the [MASK] of France.");
 * // [{ score: 0.7, token: 3007, tokenStr: "capital", sequence: "paris is the capital of france." }, ...]
 * await fillMask("The [MASK] is barking.", { targets: ["dog", "cat"] });
 */
export async function fillMask(text: string, options?: FillMaskOptions): Promise<FillMaskPrediction[]>;
export async function fillMask(texts: string[], options?: FillMaskOptions): Promise<FillMaskPrediction[][]>;
export async function fillMask(
  input: string | string[],
  options: FillMaskOptions = {},
): Promise<FillMaskPrediction[] | FillMaskPrediction[][]> {
  checkTexts(input, "fillMask");
  checkOptions(options, "fillMask");
  checkTopK(options.topK, 5, false);
  const masker = await fillMaskHandle(options);
  return masker.fillMask(input as string, options);
}
