import { type Encoding, InputError } from "@proj/core";
import { checkBatchSize, forwardRows, type RowOutput } from "../shared/batching.js";
import { BaseHandle, type CreateOptions, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import { guessTask } from "../shared/head.js";
import type { TaskInfo } from "../shared/task.js";
import { checkOptions, checkTexts, checkTopK } from "../shared/validate.js";
import { bestTokens } from "./predict.js";
import { resolveTargets } from "./targets.js";
import type { FillMaskCallOptions, FillMaskPrediction } from "./types.js";

/**
 * The Hub model {@link fillMask} and {@link auditBias} use when none is given and the embedded fill-mask model of
 * `@proj/models` (trained here on image captions, works offline) is not installed: BERT-base (uncased), the model to
 * pass as `model` for general English.
 *
 * @example
 * const mlm = await createFillMask(DEFAULT_FILL_MASK_MODEL);
 */
export const DEFAULT_FILL_MASK_MODEL = "Xenova/bert-base-uncased";

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
 * A masked language model kept loaded: predicts the token hidden behind the mask token.
 *
 * @example
 * const mlm = await createFillMask("Xenova/bert-base-uncased");
 * await mlm.fillMask(`Paris is the ${mlm.maskToken} of France.`); // [{ tokenStr: "capital", ... }, ...]
 * await mlm.dispose();
 */
export interface FillMasker extends EncoderHandle {
  readonly task: "fillMask";
  /** The mask token to write in texts, e.g. `"[MASK]"` (BERT) or `"<mask>"` (RoBERTa). */
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
  probabilities(texts: string[], options?: Pick<FillMaskCallOptions, "batchSize" | "signal">): Promise<Float64Array[]>;
}

/**
 * Loads a masked language model from a folder in the Optimum ONNX layout or a Hub id.
 *
 * @example
 * const mlm = await createFillMask("./models/bert-base-uncased");
 */
export async function createFillMask(model: string, options: CreateOptions = {}): Promise<FillMasker> {
  const id = checkModelId(model, "createFillMask", DEFAULT_FILL_MASK_MODEL);
  checkOptions(options, "createFillMask");
  const encoder = await EncoderModel.open(id, options, FILL_MASK_TASK, [{ name: "logits", rank: 3 }]);
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
    checkOptions(options, "fillMask");
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

  async probabilities(texts: string[], options: Pick<FillMaskCallOptions, "batchSize" | "signal"> = {}): Promise<Float64Array[]> {
    this.ensureOpen();
    checkOptions(options, "probabilities");
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

  /** Tokenizes, finds each text's one mask, and runs the model. */
  async #run(
    texts: string[],
    options: Pick<FillMaskCallOptions, "batchSize" | "signal">,
  ): Promise<{ encodings: Encoding[]; masks: number[]; logits: RowOutput[] }> {
    const batchSize = checkBatchSize(options.batchSize);
    const encodings = await this.encoder.model.tokenizer.encodeBatch(texts);
    const masks = encodings.map((encoding, t) => {
      const where = encoding.ids.flatMap((id, i) => (id === this.#maskId ? [i] : []));
      const name = texts.length > 1 ? `texts[${t}]` : "the text";
      if (where.length !== 1) {
        throw new InputError(
          where.length === 0
            ? `${name} has no mask token ${this.maskToken}`
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
