import type { TaskOptions } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkTexts, checkTopK } from "../shared/validate.js";
import { createFillMask, type FillMasker } from "./fill-masker.js";
import { FILL_MASK_CALL_OPTION_NAMES, type FillMaskCallOptions, type FillMaskPrediction } from "./types.js";

/**
 * Options of {@link fillMask}: the model (folder, Hub id or {@link FillMasker}; the embedded fill-mask model when
 * omitted), how to load it (`load`), a `signal`, and the call options.
 *
 * @example
 * const options: FillMaskOptions = { model: "./models/bert-base-uncased", topK: 10, load: { dtype: "q8" } };
 */
export interface FillMaskOptions extends TaskOptions<FillMasker>, FillMaskCallOptions {}

/**
 * The option names of {@link FillMaskOptions}: anything else is refused with an `InputError`.
 *
 * @example
 * checkTaskOptions(options, "fillMask", FILL_MASK_OPTION_NAMES);
 */
export const FILL_MASK_OPTION_NAMES = optionNames<FillMaskOptions>()([...TASK_OPTION_NAMES, ...FILL_MASK_CALL_OPTION_NAMES]);

const maskers = taskCache<FillMasker>();

/**
 * The fill-mask handle a call uses (the one given, or a cached one); shared with {@link auditBias}.
 *
 * @example
 * const masker = await fillMaskHandle({ model: "./models/bert" });
 * @internal
 */
export function fillMaskHandle(options: TaskOptions<FillMasker>): Promise<FillMasker> {
  return resolveHandle(options, "fillMask", "fill-mask", maskers, createFillMask);
}

/**
 * Predicts the token behind the mask with a masked language model, as the Hugging Face fill-mask pipeline does. Each
 * text holds exactly one mask, written as `[MASK]` or `<mask>` whatever the model's own mask token is (both are
 * rewritten to it), so the same text works on BERT- and RoBERTa-style models.
 *
 * @example
 * const candidates = await fillMask("Paris is the [MASK] of France.");
 * // [{ score: 0.7, token: 3007, tokenStr: "capital", sequence: "paris is the capital of france." }, ...]
 * await fillMask("The <mask> is barking.", { targets: ["dog", "cat"] }); // the same on a [MASK] model
 */
export async function fillMask(text: string, options?: FillMaskOptions): Promise<FillMaskPrediction[]>;
export async function fillMask(texts: string[], options?: FillMaskOptions): Promise<FillMaskPrediction[][]>;
export async function fillMask(
  input: string | string[],
  options?: FillMaskOptions,
): Promise<FillMaskPrediction[] | FillMaskPrediction[][]> {
  checkTexts(input, "fillMask");
  const { model, load, ...call } = checkTaskOptions(options, "fillMask", FILL_MASK_OPTION_NAMES);
  checkTopK(call.topK, 5, false);
  const masker = await fillMaskHandle({ model, load, signal: call.signal });
  return masker.fillMask(input as string, call);
}
