import { checkBatchSize } from "../shared/batching.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkChoice, checkTexts, checkTopK, describe } from "../shared/validate.js";
import type { TextClassifier } from "../classify/classifier.js";
import { applyFunction } from "../classify/postprocess.js";
import { type Classification, CLASSIFY_CALL_OPTION_NAMES, type ClassifyCallOptions, type FunctionToApply } from "../classify/types.js";
import { chunks, malformed, RemoteEndpoint, type RemoteEndpointOptions, refuse } from "./http.js";
import { RemoteHandle } from "./remote-handle.js";

/**
 * The wire format of a remote classifier: `"tei"` for Text Embeddings Inference's `POST /predict` (and
 * `@proj/server`'s, which speaks it too).
 *
 * @example
 * const kind: RemoteClassifierKind = "tei";
 */
export type RemoteClassifierKind = "tei";

/**
 * Options of {@link createRemoteClassifier}.
 *
 * @example
 * const options: RemoteClassifierOptions = { kind: "tei", baseURL: "http://127.0.0.1:8080", timeoutMs: 30_000 };
 */
export interface RemoteClassifierOptions extends RemoteEndpointOptions {
  /** The server's wire format. */
  kind: RemoteClassifierKind;
}

/**
 * A text classifier whose model runs on a serving engine: the same `classify()` calls and results as a local
 * `Classifier`, so `classify(texts, { model: remote })` works unchanged.
 *
 * @example
 * const remote = createRemoteClassifier({ kind: "tei", baseURL: "http://127.0.0.1:8080" });
 * const [best] = await classify("I love it", { model: remote });
 */
export interface RemoteClassifier extends TextClassifier {
  /** The base URL, without a trailing slash. */
  readonly baseURL: string;
  /** The wire format. */
  readonly kind: RemoteClassifierKind;
  /** The model name sent as `model`, if any (never with `"tei"`). */
  readonly modelId: string | undefined;
}

/** The way out of an option the wire cannot carry. */
const LOCAL = "leave it out, or use a local classifier (createClassifier) for it";

/** Texts per request unless `batchSize` says otherwise: TEI's default `--max-client-batch-size`. */
const DEFAULT_REQUEST_SIZE = 32;

/**
 * A text classifier backed by a remote server. `classify()` takes a local classifier's options and maps them onto
 * the wire; what the wire cannot carry is an `InputError` naming the option, never silently dropped:
 *
 * | option | `"tei"` (`POST {baseURL}/predict`) |
 * |---|---|
 * | texts | `inputs` as a batch `[[text], ...]` (`batchSize` texts per request, default 32), `truncate: true` |
 * | `topK` | applied here (TEI returns every label, best first) |
 * | `functionToApply` | left out: `raw_scores: false` (TEI: softmax, sigmoid for a one-label model); given: `raw_scores: true` and the function applied here |
 * | `truncation` | `"truncate"` (the default) -> `truncate: true`; `"window"` refused |
 * | `maxLength`, `stride` | refused |
 *
 * Each text is sent as a one-element batch item (`[text]`), never as a bare string array, which TEI reads as one
 * text pair. HTTP errors map as the remote embedder's do (400/413/422 `InputError`, 404 `ModelNotFoundError`,
 * 429/503 `OverloadedError`, other `SessionError`); an answer with the wrong number of texts, a label that is not a
 * string, a score that is not finite, or a body that is not JSON is a `SessionError`; `signal` aborts with an
 * `AbortError`, `timeoutMs` with a `SessionError`.
 *
 * @example
 * const tei = createRemoteClassifier({ kind: "tei", baseURL: "http://127.0.0.1:8080" });
 * const perText = await tei.classify(["great", "awful"], { topK: null });
 * // [[{ label: "POSITIVE", score: 0.99 }, { label: "NEGATIVE", score: 0.01 }], [...]]
 */
export function createRemoteClassifier(options: RemoteClassifierOptions): RemoteClassifier {
  return new RemoteClassifierHandle(new RemoteEndpoint(options, "createRemoteClassifier", ["tei"], '"tei" for TEI\'s POST /predict'));
}

class RemoteClassifierHandle extends RemoteHandle<RemoteClassifierKind> implements RemoteClassifier {
  readonly task = "classify" as const;

  classify(text: string, options?: ClassifyCallOptions): Promise<Classification[]>;
  classify(texts: string[], options?: ClassifyCallOptions): Promise<Classification[][]>;
  async classify(input: string | string[], options: ClassifyCallOptions = {}): Promise<Classification[] | Classification[][]> {
    this.endpoint.ensureOpen("classifier");
    checkTaskOptions(options, "classify", CLASSIFY_CALL_OPTION_NAMES);
    const { texts, single } = checkTexts(input, "classify");
    const topK = checkTopK(options.topK, 1, true) ?? Number.MAX_SAFE_INTEGER;
    const fn =
      options.functionToApply === undefined
        ? undefined
        : checkChoice(options.functionToApply, "functionToApply", ["softmax", "sigmoid", "none"], "softmax");
    const truncation = checkChoice(options.truncation, "truncation", ["truncate", "window"], "truncate");
    if (truncation === "window")
      throw refuse('truncation: "window"', this.kind, "the server classifies no windows over a long text", LOCAL);
    if (options.maxLength !== undefined) throw refuse("maxLength", this.kind, "the server's model decides its window", LOCAL);
    if (options.stride !== undefined) throw refuse("stride", this.kind, "the server classifies no windows", LOCAL);
    const size = options.batchSize === undefined ? DEFAULT_REQUEST_SIZE : checkBatchSize(options.batchSize);

    const results: Classification[][] = [];
    for (const part of chunks(texts, size)) {
      for (const labels of await this.#predict(part, fn !== undefined, options.signal)) results.push(finish(labels, fn, topK));
    }
    return single ? (results[0] as Classification[]) : results;
  }

  /** TEI `POST /predict`: `{ inputs: [[text], ...], truncate: true, raw_scores }` -> `[[{ label, score }], ...]`. */
  async #predict(texts: string[], raw: boolean, signal: AbortSignal | undefined): Promise<Classification[][]> {
    const body = { inputs: texts.map((t) => [t]), truncate: true, raw_scores: raw };
    const answer = await this.endpoint.post("/predict", body, signal, "classifier");
    const url = `${this.baseURL}/predict`;
    if (!Array.isArray(answer)) throw malformed(url, `${describe(answer)} instead of an array of predictions`);
    if (answer.length !== texts.length) throw malformed(url, `${answer.length} predictions for ${texts.length} texts`);
    return answer.map((labels, i) => readPredictions(url, labels, i));
  }
}

/** Reads one text's `[{ label, score }]`: a non-empty array, each label a distinct string, each score finite. */
function readPredictions(url: string, labels: unknown, i: number): Classification[] {
  if (!Array.isArray(labels) || labels.length === 0) throw malformed(url, `predictions ${i} as ${describe(labels)}, not a list of labels`);
  const seen = new Set<string>();
  return labels.map((item: unknown, k) => {
    const { label, score } = (item ?? {}) as Record<string, unknown>;
    if (typeof label !== "string" || seen.has(label)) throw malformed(url, `predictions ${i} with label ${describe(label)} at ${k}`);
    if (typeof score !== "number" || !Number.isFinite(score))
      throw malformed(url, `predictions ${i} with score ${describe(score)} at ${k}`);
    seen.add(label);
    return { label, score };
  });
}

/** Applies `fn` to raw scores (when asked for), then ranks best first (equal scores in the server's order) and keeps `topK`. */
function finish(labels: Classification[], fn: FunctionToApply | undefined, topK: number): Classification[] {
  let scored = labels;
  if (fn !== undefined) {
    const out = applyFunction(
      labels.map((l) => l.score),
      fn,
      new Float64Array(labels.length),
    );
    scored = labels.map((l, k) => ({ label: l.label, score: out[k] as number }));
  }
  return scored
    .map((l, k) => ({ l, k }))
    .sort((a, b) => b.l.score - a.l.score || a.k - b.k)
    .slice(0, topK)
    .map(({ l }) => l);
}
