import type { Encoding, Tokenizer } from "@proj/core";
import { checkInteger } from "./validate.js";

/**
 * Encoded rows of a batch of texts: one row per text, or several overlapping windows for a long one.
 *
 * @example
 * const { rows, owner } = await encodeRows(tokenizer, texts, plan);
 * @internal
 */
export interface EncodedRows {
  /** The encodings to run, special tokens included. */
  rows: Encoding[];
  /** For each row, the index of the text it came from. */
  owner: number[];
}

/**
 * How long texts are handled.
 *
 * @example
 * const plan: WindowPlan = { maxLength: 512, mode: "window", stride: 128 };
 * @internal
 */
export interface WindowPlan {
  /** Tokens per row, special tokens included. */
  maxLength: number;
  /** `"truncate"` cuts a long text to `maxLength`; `"window"` splits it into overlapping windows. */
  mode: "truncate" | "window";
  /** Tokens each window repeats from the previous one. */
  stride: number;
}

/**
 * Resolves `maxLength` and `stride` options against the model's window: `maxLength` at most the model's,
 * `stride` below the room a window leaves for text (default: a quarter of the window).
 *
 * @example
 * windowPlan(512, undefined, undefined, "window"); // { maxLength: 512, mode: "window", stride: 128 }
 * @internal
 */
export function windowPlan(modelMax: number, maxLength: unknown, stride: unknown, mode: "truncate" | "window"): WindowPlan {
  const length =
    maxLength === undefined ? modelMax : checkInteger(maxLength, "maxLength", 3, modelMax, `the model takes at most ${modelMax} tokens`);
  const step =
    stride === undefined
      ? Math.floor(length / 4)
      : checkInteger(
          stride,
          "stride",
          0,
          length - 3,
          "the stride (tokens repeated between windows) must leave room for new text in each window",
        );
  return { maxLength: length, mode, stride: step };
}

/**
 * Tokenizes texts: all at once (Rust threads) when they fit, and long ones again as overlapping windows when
 * the plan says so. Offsets of every row index the original text.
 *
 * @example
 * const { rows, owner } = await encodeRows(tokenizer, ["short", longText], windowPlan(512, undefined, undefined, "window"));
 * @internal
 */
export async function encodeRows(tokenizer: Tokenizer, texts: readonly string[], plan: WindowPlan): Promise<EncodedRows> {
  if (plan.mode === "truncate") {
    const rows = await tokenizer.encodeBatch(texts, { maxLength: plan.maxLength });
    return { rows, owner: rows.map((_, i) => i) };
  }
  const full = await tokenizer.encodeBatch(texts);
  const rows: Encoding[] = [];
  const owner: number[] = [];
  for (let i = 0; i < full.length; i++) {
    const encoding = full[i] as Encoding;
    if (encoding.ids.length <= plan.maxLength) {
      rows.push(encoding);
      owner.push(i);
      continue;
    }
    const windows = await tokenizer.encodeWindows(texts[i] as string, { maxLength: plan.maxLength, stride: plan.stride });
    for (const window of windows) {
      rows.push(window);
      owner.push(i);
    }
  }
  return { rows, owner };
}
