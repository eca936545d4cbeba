import { DEFAULT_MODELS } from "@proj/chooser";
import { type Encoding, InputError, type Tokenizer } from "@proj/core";
import { checkBatchSize, forwardRows, type RowOutput } from "../shared/batching.js";
import { defaultModel } from "../shared/default-model.js";
import { BaseHandle, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import type { TaskInfo } from "../shared/task.js";
import { CREATE_OPTION_NAMES, type CreateOptions, checkTaskOptions } from "../shared/options.js";
import { checkChoice, checkTexts } from "../shared/validate.js";
import { encodeRows, windowPlan } from "../shared/windows.js";
import { aggregate, type RawEntity, stitchWindows } from "./aggregate.js";
import { labelList, type TagTransitions, tagTransitions } from "./constrained-decoding.js";
import { gatherPreEntities, type PreEntity, type SubwordInfo } from "./pre-entities.js";
import { readSubwordInfo } from "./subword.js";
import { checkDecoding, checkIgnoreLabels } from "./options.js";
import { type AggregationStrategy, type Entity, NER_CALL_OPTION_NAMES, type NerCallOptions, type TagScheme } from "./types.js";

/**
 * The Hub model {@link ner} uses when none is given and the embedded NER model of `@proj/models` (trained here on
 * CoNLL-2003, works offline) is not installed: BERT-base fine-tuned on CoNLL-2003 (PER, ORG, LOC, MISC); a stronger
 * model to pass as `model` when accuracy matters more than size.
 *
 * @example
 * const recognizer = await createTokenClassifier(DEFAULT_NER_MODEL);
 */
export const DEFAULT_NER_MODEL: string = DEFAULT_MODELS["token-classification"];

/**
 * How ner() names itself in errors.
 *
 * @example
 * EncoderModel.open(id, options, NER_TASK, [{ name: "logits", rank: 3 }]);
 * @internal
 */
export const NER_TASK: TaskInfo = {
  fn: "ner",
  what: "token classification (named entities)",
  exportTask: "token-classification",
  example: DEFAULT_NER_MODEL,
};

/**
 * The aggregation strategies, for option checks.
 *
 * @example
 * checkChoice(options.aggregation, "aggregation", AGGREGATIONS, "none");
 * @internal
 */
export const AGGREGATIONS: readonly AggregationStrategy[] = ["none", "simple", "first", "average", "max"];

/**
 * A named-entity recognizer that keeps its model loaded.
 *
 * @example
 * const recognizer = await createTokenClassifier("Xenova/bert-base-NER");
 * const entities = await recognizer.ner("Ada Lovelace lived in London", { aggregation: "simple" });
 * // [{ entity: "PER", word: "Ada Lovelace", start: 0, end: 12, score: 0.99 }, { entity: "LOC", ... }]
 * await recognizer.dispose();
 */
export interface TokenClassifier extends EncoderHandle {
  readonly task: "ner";
  /** Label names by class index (`B-PER`, `I-PER`, `O` ...). */
  readonly labels: Readonly<Record<number, string>>;
  /** Finds the entities of one text. */
  ner(text: string, options?: NerCallOptions): Promise<Entity[]>;
  /** Finds the entities of many texts, one list per text, in input order. */
  ner(texts: string[], options?: NerCallOptions): Promise<Entity[][]>;
}

/**
 * Loads a token-classification model (named entities, part of speech ...) from a folder in the Optimum ONNX
 * layout or a Hub id (the embedded NER model when omitted).
 *
 * @example
 * const recognizer = await createTokenClassifier("./models/bert-ner", { load: { threads: 2 } });
 * await recognizer.ner("Paris is in France");
 */
export async function createTokenClassifier(model?: string, options?: CreateOptions): Promise<TokenClassifier> {
  const id = checkModelId(model, "createTokenClassifier", defaultModel("token-classification"));
  const checked = checkTaskOptions(options, "createTokenClassifier", CREATE_OPTION_NAMES);
  const encoder = await EncoderModel.open(id, checked, NER_TASK, [{ name: "logits", rank: 3 }]);
  try {
    checkLabelHead(encoder);
    return new TokenClassifierHandle(encoder, await readSubwordInfo(encoder.model));
  } catch (error) {
    await encoder.dispose();
    throw error;
  }
}

/**
 * A token-classification head has one logit per label of config.json's `id2label`; a masked language model (one
 * logit per vocabulary token) has the same output name and rank, and would give "entities" named after token ids.
 *
 * @example
 * checkLabelHead(encoder); // throws InputError for a fill-mask export
 */
function checkLabelHead(encoder: EncoderModel): void {
  const width = encoder.session.outputs.find((o) => o.name === "logits")?.shape[2];
  const labels = Object.keys(encoder.model.config.id2label).length;
  if (typeof width !== "number" || width === labels) return;
  const masked = width >= encoder.model.tokenizer.vocabSize;
  throw new InputError(
    masked
      ? `ner() needs a token classification head, but ${encoder.label} has one logit per vocabulary token (${width}): it is a masked language model`
      : `ner() needs one logit per label, but ${encoder.label} has ${width} per token while config.json's id2label names ${labels}`,
    {
      hint: masked
        ? `use fillMask() for it, or pass a model exported for token classification, such as "${DEFAULT_NER_MODEL}"`
        : "export the model with its id2label (config.json) matching the classifier head",
    },
  );
}

class TokenClassifierHandle extends BaseHandle implements TokenClassifier {
  readonly task = "ner" as const;
  readonly #subwords: SubwordInfo;
  /** Transitions by tag scheme and label count, built on first use. */
  readonly #transitions = new Map<string, TagTransitions>();

  constructor(encoder: EncoderModel, subwords: SubwordInfo) {
    super(encoder);
    this.#subwords = subwords;
  }

  get labels(): Readonly<Record<number, string>> {
    return this.encoder.model.config.id2label;
  }

  ner(text: string, options?: NerCallOptions): Promise<Entity[]>;
  ner(texts: string[], options?: NerCallOptions): Promise<Entity[][]>;
  async ner(input: string | string[], options: NerCallOptions = {}): Promise<Entity[] | Entity[][]> {
    this.ensureOpen();
    checkTaskOptions(options, "ner", NER_CALL_OPTION_NAMES);
    const { texts, single } = checkTexts(input, "ner");
    const strategy = checkChoice(options.aggregation, "aggregation", AGGREGATIONS, "none");
    const { decoding, tagScheme } = checkDecoding(options);
    const ignore = new Set(checkIgnoreLabels(options.ignoreLabels));
    const batchSize = checkBatchSize(options.batchSize);
    const plan = windowPlan(this.encoder.maxLength, options.maxLength, options.stride, "window");

    const { rows, owner } = await encodeRows(this.encoder.model.tokenizer, texts, plan);
    const outputs = await forwardRows(this.encoder, rows, ["logits"], batchSize, options.signal);
    const perText: RawEntity[][] = texts.map(() => []);
    const windows = new Array<number>(texts.length).fill(0);
    rows.forEach((encoding, r) => {
      const t = owner[r] as number;
      const logits = outputs[r]?.logits as RowOutput;
      const numLabels = logits.dims[1] ?? 0;
      const pre = gatherPreEntities(texts[t] as string, encoding as Encoding, logits.data, numLabels, this.#subwords);
      const transitions = decoding === "constrained" ? this.#transitionsFor(tagScheme, numLabels) : undefined;
      const kept = aggregate(pre, strategy, this.labels, transitions).filter((e) => !ignore.has(e.entity));
      (perText[t] as RawEntity[]).push(...kept);
      windows[t] = (windows[t] as number) + 1;
    });
    const tokenizer = this.encoder.model.tokenizer;
    const results = await Promise.all(
      perText.map(async (raw, t) => {
        const stitched = (windows[t] as number) > 1 ? stitchWindows(raw) : raw;
        return Promise.all(stitched.map((e) => toEntity(e, strategy, tokenizer)));
      }),
    );
    return single ? (results[0] as Entity[]) : results;
  }

  #transitionsFor(scheme: TagScheme, numLabels: number): TagTransitions {
    const key = `${scheme}:${numLabels}`;
    let transitions = this.#transitions.get(key);
    if (!transitions) {
      transitions = tagTransitions(labelList(this.labels, numLabels), scheme);
      this.#transitions.set(key, transitions);
    }
    return transitions;
  }
}

async function toEntity(raw: RawEntity, strategy: AggregationStrategy, tokenizer: Tokenizer): Promise<Entity> {
  const word = strategy === "none" ? (raw.tokens[0] as PreEntity).word : await tokensToString(raw.tokens, tokenizer);
  const entity: Entity = { entity: raw.entity, score: raw.score, word, start: raw.start, end: raw.end };
  if (strategy === "none" && raw.index !== undefined) entity.index = raw.index;
  return entity;
}

/** Decodes tokens into a word as the tokenizer joins them; unknown tokens keep the original text they cover. */
async function tokensToString(tokens: readonly PreEntity[], tokenizer: Tokenizer): Promise<string> {
  const parts: string[] = [];
  let run: number[] = [];
  const flush = async (): Promise<void> => {
    if (run.length) parts.push(await tokenizer.decode(run));
    run = [];
  };
  for (const token of tokens) {
    if (token.unknown) {
      await flush();
      parts.push(token.word);
    } else {
      run.push(token.id);
    }
  }
  await flush();
  return parts.join(" ");
}
