import { DEFAULT_MODELS } from "@proj/chooser";
import { InputError } from "@proj/core";
import { checkBatchSize, forwardRows, type RowOutput } from "../shared/batching.js";
import { defaultModel } from "../shared/default-model.js";
import { BaseHandle, checkModelId, type EncoderHandle } from "../shared/encoder-handle.js";
import { EncoderModel } from "../shared/encoder-model.js";
import { CREATE_OPTION_NAMES, type CreateOptions, checkTaskOptions } from "../shared/options.js";
import type { TaskInfo } from "../shared/task.js";
import { checkChoice, checkInteger, checkText, checkTopK, describe } from "../shared/validate.js";
import { configActivation } from "./activation.js";
import { RERANK_CALL_OPTION_NAMES, type RerankCallOptions, type RerankResult } from "./types.js";

/**
 * The Hub model {@link rerank} uses when none is given: the MS MARCO cross-encoder MiniLM-L-6-v2 (English passage
 * ranking), in its ONNX export.
 *
 * @example
 * const reranker = await createReranker(DEFAULT_RERANK_MODEL);
 */
export const DEFAULT_RERANK_MODEL: string = DEFAULT_MODELS["text-ranking"];

/**
 * How rerank() names itself in errors.
 *
 * @example
 * await EncoderModel.open(id, options, RERANK_TASK, [{ name: "logits", rank: 2 }]);
 * @internal
 */
export const RERANK_TASK: TaskInfo = {
  fn: "rerank",
  what: "cross-encoder (text ranking)",
  exportTask: "text-classification",
  example: DEFAULT_RERANK_MODEL,
};

/**
 * What every reranker does, whether its cross-encoder runs in this process ({@link Reranker}) or on a serving
 * engine (`createRemoteReranker`): `rerank()` with the same options and results, and `dispose()`. The one-shot
 * {@link rerank} takes any of them as `model`.
 *
 * @example
 * const reranker: TextReranker = createRemoteReranker({ kind: "tei", baseURL: "http://127.0.0.1:8080" });
 * const [best] = await rerank("how fast do dogs run?", candidates, { model: reranker, topK: 1 });
 */
export interface TextReranker {
  readonly task: "rerank";
  /** True once {@link TextReranker.dispose} has run. */
  readonly disposed: boolean;
  /** Scores every document against the query: results best first (equal scores by index), `topK` of them. */
  rerank(query: string, documents: string[], options?: RerankCallOptions): Promise<RerankResult[]>;
  /** Frees what the reranker holds (a remote one only marks itself disposed). Safe to call twice. */
  dispose(): Promise<void>;
}

/**
 * A cross-encoder that keeps its model loaded: scores how relevant each document is to a query by reading both
 * together (one forward pass per pair), for reordering the candidates of a vector search.
 *
 * @example
 * const reranker = await createReranker("Xenova/bge-reranker-base");
 * const top = await reranker.rerank("how fast do dogs run?", candidates, { topK: 3, returnDocuments: true });
 * await reranker.dispose();
 */
export interface Reranker extends TextReranker, EncoderHandle {
  readonly task: "rerank";
  /** The activation applied by default (from config.json): `"sigmoid"` or `"none"`. */
  readonly activation: "sigmoid" | "none";
  /** Scores every document against the query: results best first (equal scores by index), `topK` of them. */
  rerank(query: string, documents: string[], options?: RerankCallOptions): Promise<RerankResult[]>;
}

/**
 * Loads a cross-encoder: a sequence-classification export with one logit (ms-marco MiniLM, BGE reranker ...).
 *
 * @example
 * const reranker = await createReranker("Xenova/ms-marco-MiniLM-L-6-v2", { load: { threads: 2 } });
 * await reranker.rerank("capital of France", ["Paris is the capital.", "Berlin is in Germany."]);
 * // [{ index: 0, score: 0.99 }, { index: 1, score: 0.0001 }]
 */
export async function createReranker(model?: string, options?: CreateOptions): Promise<Reranker> {
  const id = checkModelId(model, "createReranker", defaultModel("text-ranking"));
  const checked = checkTaskOptions(options, "createReranker", CREATE_OPTION_NAMES);
  const encoder = await EncoderModel.open(id, checked, RERANK_TASK, [{ name: "logits", rank: 2 }]);
  try {
    const labels = Object.keys(encoder.model.config.id2label).length;
    const width = encoder.session.outputs.find((o) => o.name === "logits")?.shape[1];
    const count = typeof width === "number" ? width : labels;
    if (count > 1) {
      throw new InputError(`${encoder.label} has ${count} labels; a cross-encoder for rerank() has one relevance logit`, {
        hint: "pass a one-label cross-encoder such as Xenova/ms-marco-MiniLM-L-6-v2; an NLI model serves classifyZeroShot(), a classifier classify()",
      });
    }
    return new RerankerHandle(encoder, configActivation(encoder.model.config, encoder.label));
  } catch (error) {
    await encoder.dispose();
    throw error;
  }
}

class RerankerHandle extends BaseHandle implements Reranker {
  readonly task = "rerank" as const;
  readonly activation: "sigmoid" | "none";

  constructor(encoder: EncoderModel, activation: "sigmoid" | "none") {
    super(encoder);
    this.activation = activation;
  }

  async rerank(query: string, documents: string[], options: RerankCallOptions = {}): Promise<RerankResult[]> {
    this.ensureOpen();
    checkTaskOptions(options, "rerank", RERANK_CALL_OPTION_NAMES);
    checkRerankInput(query, documents);
    const topK = checkTopK(options.topK, Number.MAX_SAFE_INTEGER, true) ?? Number.MAX_SAFE_INTEGER;
    const activation = checkChoice(options.activation, "activation", ["sigmoid", "none"], this.activation);
    const returnDocuments = options.returnDocuments ?? false;
    if (typeof returnDocuments !== "boolean")
      throw new InputError(`returnDocuments must be true or false, got ${describe(returnDocuments)}`);
    const batchSize = checkBatchSize(options.batchSize);
    const maxLength =
      options.maxLength === undefined
        ? this.encoder.maxLength
        : checkInteger(
            options.maxLength,
            "maxLength",
            3,
            this.encoder.maxLength,
            `the model takes at most ${this.encoder.maxLength} tokens`,
          );
    if (documents.length === 0) return [];

    const tokenizer = this.encoder.model.tokenizer;
    const queryLength = (await tokenizer.encode(query, { pair: "x" })).ids.length;
    if (queryLength >= maxLength) {
      throw new InputError(`The query takes ${queryLength - 1} of the ${maxLength} tokens of a pair, leaving no room for documents`, {
        hint: "shorten the query: rerank() cuts documents (only_second), never the query",
      });
    }
    const rows = await Promise.all(documents.map((pair) => tokenizer.encode(query, { pair, maxLength, truncation: "only_second" })));
    const outputs = await forwardRows(this.encoder, rows, ["logits"], batchSize, options.signal);
    const results = outputs.map((o, index): RerankResult => {
      const logit = (o.logits as RowOutput).data[0] as number;
      const score = activation === "sigmoid" ? 1 / (1 + Math.exp(-logit)) : logit;
      return returnDocuments ? { index, score, document: documents[index] as string } : { index, score };
    });
    return results.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, topK);
  }
}

/**
 * Checks rerank()'s query and documents.
 *
 * @example
 * checkRerankInput("query", ["doc"]);
 * @internal
 */
export function checkRerankInput(query: unknown, documents: unknown): void {
  checkText(query, "query", "rerank");
  if (!Array.isArray(documents)) {
    throw new InputError(`rerank() expects documents to be an array of strings, got ${describe(documents)}`, {
      hint: "pass the candidate texts",
    });
  }
  documents.forEach((d, i) => {
    checkText(d, `documents[${i}]`, "rerank");
  });
}
