import { DEFAULT_MODELS } from "@proj/chooser";
import { type Encoding, InputError } from "@proj/core";
import { checkBatchSize, forwardRows, type RowOutput } from "../shared/batching.js";
import { defaultModel } from "../shared/default-model.js";
import { BaseHandle, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import { guessTask } from "../shared/head.js";
import type { TaskInfo } from "../shared/task.js";
import { CREATE_OPTION_NAMES, type CreateOptions, checkTaskOptions } from "../shared/options.js";
import { checkTexts, checkTopK } from "../shared/validate.js";
import { MASK_SPELLINGS, toModelMask } from "./mask-token.js";
import { bestTokens } from "./predict.js";
import { resolveTargets } from "./targets.js";
import {
  FILL_MASK_CALL_OPTION_NAMES,
  type FillMaskCallOptions,
  type FillMaskPrediction,
  PROBABILITIES_OPTION_NAMES,
  type ProbabilitiesOptions,
} from "./types.js";

/**
 * The Hub model {@link fillMask} and {@link auditBias} use when none is given and the embedded fill-mask model of
 * `@proj/models` (trained here on image captions, works offline) is not installed: BERT-base (uncased), the model to
 * pass as `model` for general English.
 *
 * @example
 * const mlm = await createFillMask(DEFAULT_FILL_MASK_MODEL);
 */
export const DEFAULT_FILL_MASK_MODEL: string = DEFAULT_MODELS["fill-mask"];

/**
 * How fillMask() names itself in errors.
 *
 * @example
 * EncoderModel.open(id, options, FILL_MASK_TASK, [{ name: "logits", rank: 3 }]);
 * @internal
 */
export const FILL_MASK_TASK: TaskInfo = {
  fn: "fillMask",
  what: "fill-mask (masked language modelling)",
  exportTask: "fill-mask",
  example: DEFAULT_FILL_MASK_MODEL,
};

/**
 * A masked language model kept loaded: predicts the token hidden behind the mask, written as the model's mask token or
 * as either common spelling (`[MASK]`, `<mask>`).
 *
 * @example
 * const mlm = await createFillMask("Xenova/bert-base-uncased");
 * await mlm.fillMask(`Paris is the ${mlm.maskToken} of France.`); // [{ tokenStr: "capital", ... }, ...]
 * await mlm.dispose();
 */
export interface FillMasker extends EncoderHandle {
  readonly task: "fillMask";
  /** The model's own mask token, e.g. `"[MASK]"` (BERT) or `"<mask>"` (RoBERTa); texts may also use the other spelling. */
  readonly maskToken: string;
  /** The best candidates for the mask of one text. */
  fillMask(text: string, options?: FillMaskCallOptions): Promise<FillMaskPrediction[]>;
  /** The best candidates for the mask of each text, in input order. */
  fillMask(texts: string[], options?: FillMaskCallOptions): Promise<FillMaskPrediction[][]>;
  /**
   * The whole probability distribution over the vocabulary at the mask of each text (index = token id).
   *
   * @example
   * const [p] = await mlm.probabilities([`He works as a ${mlm.maskToken}.`]);
   */
  probabilities(texts: string[], options?: ProbabilitiesOptions): Promise<Float64Array[]>;
}

/**
 * Loads a masked language model from a folder in the Optimum ONNX layout or a Hub id (the embedded fill-mask model
 * when omitted).
 *
 * @example
 * const mlm = await createFillMask("./models/bert-base-uncased", { load: { dtype: "q8" } });
 */
export async function createFillMask(model?: string, options?: CreateOptions): Promise<FillMasker> {
  const id = checkModelId(model, "createFillMask", defaultModel("fill-mask"));
  const checked = checkTaskOptions(options, "createFillMask", CREATE_OPTION_NAMES);
  const encoder = await EncoderModel.open(id, checked, FILL_MASK_TASK, [{ name: "logits", rank: 3 }]);
  try {
    const tokenizer = encoder.model.tokenizer;
    const width = encoder.session.outputs.find((o) => o.name === "logits")?.shape[2];
    if (typeof width === "number" && width < tokenizer.vocabSize) {
      throw new InputError(
        `fillMask() needs a masked-LM head with one logit per vocabulary token (${tokenizer.vocabSize}), but ${encoder.label} has ${width}; it looks like a model for ${guessTask(encoder.session, undefined)}`,
        {
          hint: `pass a model exported for fill-mask, such as "${DEFAULT_FILL_MASK_MODEL}"`,
        },
      );
    }
    const maskId = tokenizer.specialIds.mask;
    const maskToken = maskId === undefined ? undefined : tokenizer.idToToken(maskId);
    if (maskId === undefined || maskToken === undefined) {
      throw new InputError(`${encoder.label} has no mask token (tokenizer_config.json names no mask_token)`, {
        hint: `pass a masked language model, such as "${DEFAULT_FILL_MASK_MODEL}"`,
      });
    }
    return new FillMaskHandle(encoder, maskId, maskToken);
  } catch (error) {
    await encoder.dispose();
    throw error;
  }
}

class FillMaskHandle extends BaseHandle implements FillMasker {
  readonly task = "fillMask" as const;
  readonly maskToken: string;
  readonly #maskId: number;

  constructor(encoder: EncoderModel, maskId: number, maskToken: string) {
    super(encoder);
    this.#maskId = maskId;
    this.maskToken = maskToken;
  }

  fillMask(text: string, options?: FillMaskCallOptions): Promise<FillMaskPrediction[]>;
  fillMask(texts: string[], options?: FillMaskCallOptions): Promise<FillMaskPrediction[][]>;
  async fillMask(input: string | string[], options: FillMaskCallOptions = {}): Promise<FillMaskPrediction[] | FillMaskPrediction[][]> {
    this.ensureOpen();
    checkTaskOptions(options, "fillMask", FILL_MASK_CALL_OPTION_NAMES);
    const { texts, single } = checkTexts(input, "fillMask");
    const topK = checkTopK(options.topK, 5, false) as number;
    const tokenizer = this.encoder.model.tokenizer;
    const targets = options.targets === undefined ? undefined : await resolveTargets(tokenizer, options.targets);
    const { encodings, masks, logits } = await this.#run(texts, options);
    const results = await Promise.all(
      encodings.map(async (encoding, t) => {
        const mask = masks[t] as number;
        const row = logits[t] as RowOutput;
        const vocab = row.dims[1] ?? 0;
        const at = row.data.subarray(mask * vocab, (mask + 1) * vocab);
        return Promise.all(
          bestTokens(at, topK, targets).map(async ({ token, score }) => {
            const ids = encoding.ids.slice();
            ids[mask] = token;
            return {
              score,
              token,
              tokenStr: await tokenizer.decode([token], { skipSpecialTokens: false }),
              sequence: await tokenizer.decode(ids, { skipSpecialTokens: true }),
            };
          }),
        );
      }),
    );
    return single ? (results[0] as FillMaskPrediction[]) : results;
  }

  async probabilities(texts: string[], options: ProbabilitiesOptions = {}): Promise<Float64Array[]> {
    this.ensureOpen();
    checkTaskOptions(options, "probabilities", PROBABILITIES_OPTION_NAMES);
    checkTexts(texts, "probabilities");
    const { masks, logits } = await this.#run(texts, options);
    return logits.map((row, t) => {
      const vocab = row.dims[1] ?? 0;
      const mask = masks[t] as number;
      const out = new Float64Array(vocab);
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < vocab; i++) max = Math.max(max, row.data[mask * vocab + i] as number);
      let sum = 0;
      for (let i = 0; i < vocab; i++) sum += out[i] = Math.exp((row.data[mask * vocab + i] as number) - max);
      for (let i = 0; i < vocab; i++) out[i] = (out[i] as number) / sum;
      return out;
    });
  }

  /** Rewrites the mask spellings to the model's mask token, tokenizes, finds each text's one mask, and runs the model. */
  async #run(texts: string[], options: ProbabilitiesOptions): Promise<{ encodings: Encoding[]; masks: number[]; logits: RowOutput[] }> {
    const batchSize = checkBatchSize(options.batchSize);
    const encodings = await this.encoder.model.tokenizer.encodeBatch(texts.map((text) => toModelMask(text, this.maskToken)));
    const masks = encodings.map((encoding, t) => {
      const where = encoding.ids.flatMap((id, i) => (id === this.#maskId ? [i] : []));
      const name = texts.length > 1 ? `texts[${t}]` : "the text";
      if (where.length !== 1) {
        throw new InputError(
          where.length === 0
            ? `${name} has no mask token ${spellings(this.maskToken)}`
            : `${name} has ${where.length} mask tokens; fillMask() predicts exactly one`,
          { hint: `write ${this.maskToken} once where the missing word goes, e.g. "Paris is the ${this.maskToken} of France."` },
        );
      }
      if (encoding.ids.length > this.encoder.maxLength) {
        throw new InputError(`${name} is ${encoding.ids.length} tokens; the model takes at most ${this.encoder.maxLength}`, {
          hint: "shorten the text around the mask",
        });
      }
      return where[0] as number;
    });
    const outputs = await forwardRows(this.encoder, encodings, ["logits"], batchSize, options.signal);
    return { encodings, masks, logits: outputs.map((o) => o.logits as RowOutput) };
  }
}

/** The mask spellings a text may use with this model, for messages: `[MASK] (or <mask>)`. */
function spellings(maskToken: string): string {
  const others = MASK_SPELLINGS.filter((s) => s !== maskToken);
  return others.length ? `${maskToken} (or ${others.join(", ")})` : maskToken;
}
