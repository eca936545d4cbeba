import { InputError } from "@proj/core";
import { checkBatchSize } from "../shared/batching.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkChoice, checkInteger, describe } from "../shared/validate.js";
import { checkEmbedTexts, type TextEmbedder } from "../embed/embedder.js";
import { quantize } from "../embed/quantize.js";
import { EMBED_CALL_OPTION_NAMES, type EmbedCallOptions, type Embedding, type EmbeddingOf, type Precision } from "../embed/types.js";
import { chunks, malformed, RemoteEndpoint, type RemoteEndpointOptions, refuse } from "./http.js";
import { RemoteHandle } from "./remote-handle.js";

/**
 * The wire format of a remote embedding server: `"openai"` for any OpenAI-compatible `POST /v1/embeddings`
 * (`@proj/server`, vLLM, TEI's `/v1/embeddings`, OpenAI itself), `"tei"` for Text Embeddings Inference's native
 * `POST /embed`.
 *
 * @example
 * const kind: RemoteEmbedderKind = "tei";
 */
export type RemoteEmbedderKind = "openai" | "tei";

/**
 * Options of {@link createRemoteEmbedder}.
 *
 * @example
 * const options: RemoteEmbedderOptions = { kind: "openai", baseURL: "http://127.0.0.1:8000/v1", model: "bge-small-en-v1.5" };
 */
export interface RemoteEmbedderOptions extends RemoteEndpointOptions {
  /** The server's wire format. */
  kind: RemoteEmbedderKind;
}

/**
 * An embedder whose model runs on a serving engine: the same `embed()` calls and result types as a local
 * `Embedder`, so `embed(texts, { model: remote })` scales out by changing how the handle is created.
 *
 * @example
 * const remote = createRemoteEmbedder({ kind: "tei", baseURL: "http://127.0.0.1:8080" });
 * const [query] = await embed(["how fast do dogs run?"], { model: remote, promptName: "query" });
 */
export interface RemoteEmbedder extends TextEmbedder {
  /** The base URL, without a trailing slash. */
  readonly baseURL: string;
  /** The wire format. */
  readonly kind: RemoteEmbedderKind;
  /** The model name sent as `model`, if any. */
  readonly modelId: string | undefined;
}

/** Texts per request unless `batchSize` says otherwise: TEI's default `--max-client-batch-size`, OpenAI's input limit. */
const DEFAULT_REQUEST_SIZE: Readonly<Record<RemoteEmbedderKind, number>> = { tei: 32, openai: 2048 };

/** The checked call options of one remote embed() call. */
interface RemoteCall {
  normalize: boolean | undefined;
  dimensions: number | undefined;
  prompt: string;
  promptName: string | undefined;
  truncate: boolean;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * An embedder backed by a remote server. Its `embed()` takes the options of a local embedder and maps them onto the
 * wire; what the wire cannot carry is an `InputError` naming the option, never silently dropped:
 *
 * | option | `"openai"` (`POST {baseURL}/embeddings`) | `"tei"` (`POST {baseURL}/embed`) |
 * |---|---|---|
 * | texts | `input` (`batchSize` texts per request, default 2048) | `inputs` (default 32 per request) |
 * | `dimensions` | `dimensions` | `dimensions` |
 * | `normalize` | `true`: normalized here; `false`: refused | `normalize` (TEI's default: true) |
 * | `prompt` | put before each text here | put before each text here |
 * | `promptName` | refused | `prompt_name` |
 * | `truncation` | `"error"` only | `"error"` / `"truncate"` -> `truncate: false / true` |
 * | `precision`, `ranges` | quantized here, as a local embedder does | quantized here |
 * | `pooling`, `maxLength`, `stride`, `truncation: "window"` | refused | refused |
 *
 * OpenAI-format vectors are asked for as `encoding_format: "base64"` and decoded straight into `Float32Array`s
 * (no JSON number parsing). HTTP errors map as the remote generator's do (400/413/422 `InputError`, 404
 * `ModelNotFoundError`, 429/503 `OverloadedError`, other `SessionError`); an answer with the wrong number of
 * vectors, ragged or non-finite vectors, or a body that is not JSON is a `SessionError`; `signal` aborts with an
 * `AbortError`, `timeoutMs` with a `SessionError`.
 *
 * @example
 * const tei = createRemoteEmbedder({ kind: "tei", baseURL: "http://127.0.0.1:8080" });
 * const vectors = await embed(["a dog runs", "a cat sleeps"], { model: tei, dimensions: 256 });
 * const vllm = createRemoteEmbedder({ kind: "openai", baseURL: "http://127.0.0.1:8000/v1", model: "BAAI/bge-small-en-v1.5" });
 */
export function createRemoteEmbedder(options: RemoteEmbedderOptions): RemoteEmbedder {
  return new RemoteEmbedderHandle(
    new RemoteEndpoint(
      options,
      "createRemoteEmbedder",
      ["openai", "tei"],
      '"openai" for POST /v1/embeddings, "tei" for TEI\'s POST /embed',
    ),
  );
}

class RemoteEmbedderHandle extends RemoteHandle<RemoteEmbedderKind> implements RemoteEmbedder {
  readonly task = "embed" as const;

  embed<P extends Precision = "float32">(text: string, options?: EmbedCallOptions<P>): Promise<EmbeddingOf<P>>;
  embed<P extends Precision = "float32">(texts: string[], options?: EmbedCallOptions<P>): Promise<Array<EmbeddingOf<P>>>;
  async embed(input: string | string[], options: EmbedCallOptions = {}): Promise<Embedding | Embedding[]> {
    this.endpoint.ensureOpen("embedder");
    checkTaskOptions(options, "embed", EMBED_CALL_OPTION_NAMES);
    const single = typeof input === "string";
    const texts = checkEmbedTexts(input);
    const call = this.#check(options);
    const precision = checkChoice(options.precision, "precision", ["float32", "int8", "uint8", "binary", "ubinary"], "float32");
    const size = options.batchSize === undefined ? DEFAULT_REQUEST_SIZE[this.kind] : checkBatchSize(options.batchSize);
    if (texts.length === 0) return [];
    const prompted = call.prompt === "" ? texts : texts.map((t) => call.prompt + t);
    const floats: Float32Array[] = [];
    for (const part of chunks(prompted, size)) {
      const vectors = this.kind === "tei" ? await this.#tei(part, call, options.signal) : await this.#openai(part, call, options.signal);
      floats.push(...vectors);
    }
    if (this.kind === "openai" && call.normalize) for (const v of floats) normalizeFloat32(v);
    const result = quantize(floats, precision, options.ranges);
    return single ? (result[0] as Embedding) : result;
  }

  /** Checks the options and refuses those the wire cannot carry. */
  #check(options: EmbedCallOptions): RemoteCall {
    const kind = this.kind;
    if (options.pooling !== undefined) throw refuse("pooling", kind, "the server pools as its model is configured");
    if (options.maxLength !== undefined)
      throw refuse(
        "maxLength",
        kind,
        "the server's model decides its window",
        'leave it out; { truncation: "truncate" } cuts at the window',
      );
    if (options.stride !== undefined) throw refuse("stride", kind, "the server embeds no windows");
    const truncation = checkChoice(options.truncation, "truncation", ["error", "truncate", "window"], "error");
    if (truncation === "window") throw refuse('truncation: "window"', kind, "the server embeds no windows over a long text");
    if (truncation === "truncate" && kind === "openai") {
      throw refuse(
        'truncation: "truncate"',
        kind,
        "OpenAI's embeddings API has no truncation field",
        'use kind: "tei", or shorten the texts',
      );
    }
    const normalize = options.normalize;
    if (normalize !== undefined && typeof normalize !== "boolean")
      throw new InputError(`normalize must be true or false, got ${describe(normalize)}`);
    if (normalize === false && kind === "openai") {
      throw refuse(
        "normalize: false",
        kind,
        "OpenAI's embeddings API has no normalize field, and normalized vectors cannot be un-normalized",
        "leave normalize out to get what the server sends",
      );
    }
    const dimensions = options.dimensions === undefined ? undefined : checkInteger(options.dimensions, "dimensions", 1);
    const { prompt, promptName } = options;
    if (prompt !== undefined && promptName !== undefined) {
      throw new InputError("embed() takes prompt or promptName, not both", {
        hint: "pass the prompt text, or the name of one of the model's prompts",
      });
    }
    if (prompt !== undefined && typeof prompt !== "string")
      throw new InputError(`prompt must be a string, got ${describe(prompt)}`, { hint: 'pass e.g. { prompt: "query: " }' });
    if (promptName !== undefined) {
      if (typeof promptName !== "string" || promptName === "")
        throw new InputError(`promptName must be a prompt's name, got ${describe(promptName)}`);
      if (kind === "openai") {
        throw refuse(
          "promptName",
          kind,
          "OpenAI's embeddings API has no prompt names",
          'pass the prompt text instead: { prompt: "query: " }',
        );
      }
    }
    return { normalize, dimensions, prompt: prompt ?? "", promptName, truncate: truncation === "truncate" };
  }

  /** TEI `POST /embed`: `{ inputs, normalize?, truncate, prompt_name?, dimensions? }` -> `number[][]`. */
  async #tei(texts: string[], call: RemoteCall, signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const url = `${this.baseURL}/embed`;
    const body: Record<string, unknown> = { inputs: texts, truncate: call.truncate };
    if (call.normalize !== undefined) body.normalize = call.normalize;
    if (call.promptName !== undefined) body.prompt_name = call.promptName;
    if (call.dimensions !== undefined) body.dimensions = call.dimensions;
    const answer = await this.endpoint.post("/embed", body, signal, "embedder");
    if (!Array.isArray(answer)) throw malformed(url, `${describe(answer)} instead of an array of embeddings`);
    if (answer.length !== texts.length) throw malformed(url, `${answer.length} embeddings for ${texts.length} texts`);
    return checkShapes(
      url,
      answer.map((row, i) => fromNumbers(url, row, i)),
      call.dimensions,
    );
  }

  /** OpenAI `POST /embeddings`: `{ input, model?, encoding_format: "base64", dimensions? }` -> `{ data: [{ index, embedding }] }`. */
  async #openai(texts: string[], call: RemoteCall, signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const url = `${this.baseURL}/embeddings`;
    const body: Record<string, unknown> = { input: texts, encoding_format: "base64" };
    if (this.modelId !== undefined) body.model = this.modelId;
    if (call.dimensions !== undefined) body.dimensions = call.dimensions;
    const answer = (await this.endpoint.post("/embeddings", body, signal, "embedder")) as { data?: unknown } | null;
    const data = answer?.data;
    if (!Array.isArray(data)) throw malformed(url, "no data array of embeddings");
    if (data.length !== texts.length) throw malformed(url, `${data.length} embeddings for ${texts.length} texts`);
    const vectors = new Array<Float32Array | undefined>(texts.length);
    data.forEach((item: { index?: unknown; embedding?: unknown } | null, k) => {
      const index = item?.index ?? k;
      if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= texts.length || vectors[index]) {
        throw malformed(url, `data[${k}] with index ${String(index)} (expected each of 0..${texts.length - 1} once)`);
      }
      const embedding = item?.embedding;
      vectors[index] = typeof embedding === "string" ? fromBase64(url, embedding, k) : fromNumbers(url, embedding, k);
    });
    return checkShapes(url, vectors as Float32Array[], call.dimensions);
  }
}

/** A JSON vector as a Float32Array; anything but finite numbers is a `SessionError`. */
function fromNumbers(url: string, row: unknown, i: number): Float32Array {
  if (!Array.isArray(row)) throw malformed(url, `embedding ${i} as ${describe(row)}, not an array of numbers`);
  const out = new Float32Array(row.length);
  for (let d = 0; d < row.length; d++) {
    const v = row[d] as unknown;
    if (typeof v !== "number" || !Number.isFinite(v)) throw malformed(url, `embedding ${i} with ${describe(v)} at dimension ${d}`);
    out[d] = v;
  }
  return out;
}

/** OpenAI's base64 encoding: the float32 values, little-endian, copied once into an aligned Float32Array. */
function fromBase64(url: string, text: string, i: number): Float32Array {
  const bytes = Buffer.from(text, "base64");
  if (bytes.length === 0 || bytes.length % 4 !== 0)
    throw malformed(url, `embedding ${i} as ${bytes.length} base64 bytes, not float32 values`);
  const out = new Float32Array(bytes.length / 4);
  if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes);
  else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let d = 0; d < out.length; d++) out[d] = view.getFloat32(d * 4, true);
  }
  for (const v of out) if (!Number.isFinite(v)) throw malformed(url, `embedding ${i} with a non-finite value`);
  return out;
}

/** Every vector the same, non-zero length (`dimensions` when asked for). */
function checkShapes(url: string, vectors: Float32Array[], dimensions: number | undefined): Float32Array[] {
  const want = dimensions ?? vectors[0]?.length ?? 0;
  vectors.forEach((v, i) => {
    if (v.length === 0 || v.length !== want) {
      throw malformed(
        url,
        `embedding ${i} with ${v.length} values where ${dimensions === undefined ? "the first has" : "dimensions asked for"} ${want}`,
      );
    }
  });
  return vectors;
}

/** L2-normalizes in place, summing in float64 as a local embedder does. */
function normalizeFloat32(v: Float32Array): void {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.max(Math.sqrt(sum), 1e-12);
  for (let d = 0; d < v.length; d++) v[d] = (v[d] as number) / norm;
}
