import { type ArchitectureFamily, detectFamily } from "../config/family.js";
import { type GenerationConfig, parseGenerationConfig, readGenerationConfig } from "../config/generation-config.js";
import { type ModelConfig, readModelConfig } from "../config/model-config.js";
import { readTokenizerConfig, type TokenizerConfig } from "../config/tokenizer-config.js";
import { DisposedError, InputError, ModelFormatError, ModelNotFoundError, type ProjError, throwIfAborted } from "../errors.js";
import { chooseDtype, type ModelDtype, onnxFilePath } from "../session/dtype.js";
import type { ModelSession } from "../session/model-session.js";
import { acquireSession, type SessionLease } from "../session/session-pool.js";
import { checkLoadOptions, type LoadOptions } from "../options/task-options.js";
import type { ModelSource } from "../source/model-source.js";
import { type ModelSpec, openModelSource } from "../source/open-source.js";
import { Tokenizer } from "../tokenizer/tokenizer.js";
import { defaultGraphs } from "./default-graphs.js";
import { readsLastPositionOnly } from "./last-position-graphs.js";

/** Options of {@link loadModel}. */
export interface LoadModelOptions extends LoadOptions {
  /**
   * The family the caller can run. When the model is of another family, loading stops with an InputError
   * right after config.json is read, before any tokenizer or ONNX file is downloaded or opened.
   */
  expectFamily?: ArchitectureFamily;
  /** Cancels loading (downloads included). */
  signal?: AbortSignal;
}

/** A model loaded into memory: configs, tokenizer and open ONNX sessions. Dispose it when done. */
export interface LoadedModel {
  /** Where the files came from. */
  readonly source: ModelSource;
  /** `config.json`, typed. */
  readonly config: ModelConfig;
  /** `generation_config.json`, typed (empty when the model has none). */
  readonly generationConfig: GenerationConfig;
  /** `tokenizer_config.json`, typed, when present. */
  readonly tokenizerConfig: TokenizerConfig | undefined;
  /** The model's tokenizer. */
  readonly tokenizer: Tokenizer;
  /** Encoder-only, decoder-only or encoder-decoder. */
  readonly family: ArchitectureFamily;
  /** Names of the open graphs, e.g. `["encoder_model", "decoder_model_merged"]`. */
  readonly graphs: readonly string[];
  /** The dtype each graph was opened with. */
  readonly dtypes: Readonly<Record<string, ModelDtype>>;
  /**
   * Longest input in tokens: the smaller of the tokenizer's `model_max_length` and the config's
   * `max_position_embeddings`, or `undefined` when neither says.
   */
  readonly maxLength: number | undefined;
  /** True once {@link LoadedModel.dispose} has run. */
  readonly disposed: boolean;
  /** The open session of a graph; throws {@link DisposedError} after dispose. */
  session(graph: string): ModelSession;
  /** Releases the sessions (native memory is freed when no other handle shares them). */
  dispose(): Promise<void>;
}

/**
 * Loads a model from a local folder in the Optimum ONNX layout or from the Hub: reads its configs,
 * its tokenizer, and opens its ONNX graphs (shared with any other handle on the same files).
 *
 * @example
 * const model = await loadModel("./fixtures/bert-seq-cls", { threads: 2 });
 * const { logits } = await model.session("model").run(feeds);
 * await model.dispose();
 */
export async function loadModel(spec: ModelSpec, options: LoadModelOptions = {}): Promise<LoadedModel> {
  checkLoadOptions(options, "loadModel", ["expectFamily", "signal"]);
  const source = openModelSource(spec, { ...options.hub, ...(options.signal ? { signal: options.signal } : {}) });
  const signal = options.signal;
  throwIfAborted(signal);
  const files = await source.listFiles(signal ? { signal } : {});
  const config = await readModelConfig(await source.resolveFile("config.json", { signal }));
  const family =
    options.family ??
    detectFamily(
      config,
      files.filter((f) => f.endsWith(".onnx")),
    );
  if (options.expectFamily && family !== options.expectFamily) throw wrongFamily(source.label, family, options.expectFamily);

  const tokenizerConfigPath = await source.resolveFile("tokenizer_config.json", { optional: true, signal });
  const tokenizerConfig = tokenizerConfigPath ? await readTokenizerConfig(tokenizerConfigPath) : undefined;
  const tokenizerPath = await source.resolveFile("tokenizer.json", { optional: true, signal });
  if (!tokenizerPath) {
    throw missingOrOffline(
      source,
      "tokenizer.json",
      new ModelNotFoundError(`${source.label} has no tokenizer.json`, {
        hint: "save the fast tokenizer with the model (tokenizer.save_pretrained writes tokenizer.json)",
      }),
    );
  }
  const tokenizer = await Tokenizer.fromFile(tokenizerPath, tokenizerConfig);
  checkVocabulary(tokenizer, config, source.label);

  const generationConfigPath = await source.resolveFile("generation_config.json", { optional: true, signal });
  const generationConfig = generationConfigPath ? await readGenerationConfig(generationConfigPath) : parseGenerationConfig(config.raw);

  const graphs = options.graphs ? [...options.graphs] : inListing(source, () => defaultGraphs(family, files, source.label));
  const dtypes: Record<string, ModelDtype> = {};
  const leases = new Map<string, SessionLease>();
  try {
    for (const graph of graphs) {
      const requested = typeof options.dtype === "object" ? (options.dtype[graph] ?? "auto") : (options.dtype ?? "auto");
      const dtype = inListing(source, () => chooseDtype(graph, files, requested, source.label));
      const path = onnxFilePath(graph, dtype);
      const file = await source.resolveFile(path, { signal });
      if (files.includes(`${path}_data`)) await source.resolveFile(`${path}_data`, { signal });
      throwIfAborted(signal);
      const lastPositionLogits = !options.fullLogits && readsLastPositionOnly(family, graph);
      leases.set(graph, await acquireSession(file, { ...options, lastPositionLogits }));
      dtypes[graph] = dtype;
    }
  } catch (error) {
    await Promise.all([...leases.values()].map((l) => l.release()));
    throw error;
  }

  let disposed = false;
  return {
    source,
    config,
    generationConfig,
    tokenizerConfig,
    tokenizer,
    family,
    graphs,
    dtypes,
    maxLength: minDefined(tokenizerConfig?.modelMaxLength, config.maxPositionEmbeddings),
    get disposed() {
      return disposed;
    },
    session(graph: string): ModelSession {
      if (disposed) throw new DisposedError(`The model ${source.label}`);
      const lease = leases.get(graph);
      if (!lease) {
        throw new InputError(`The model ${source.label} has no open graph "${graph}"`, {
          hint: `open graphs: ${[...leases.keys()].join(", ")}; pass { graphs: [...] } to loadModel to open others`,
        });
      }
      return lease.session;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      await Promise.all([...leases.values()].map((l) => l.release()));
    },
  };
}

function checkVocabulary(tokenizer: Tokenizer, config: ModelConfig, label: string): void {
  const modelVocab = config.vocabSize;
  if (modelVocab === undefined) return;
  const tokenizerVocab = tokenizer.vocabSize;
  if (tokenizerVocab > modelVocab) {
    throw new ModelFormatError(
      `The tokenizer of ${label} has ${tokenizerVocab} tokens but config.json says the model has vocab_size ${modelVocab}`,
      { hint: "the tokenizer.json belongs to another model; use the tokenizer saved with this model" },
    );
  }
}

const FAMILY_USE: Record<ArchitectureFamily, string> = {
  encoder: "an encoder-only model (BERT, RoBERTa, DistilBERT) with @proj/encoder",
  decoder: "a decoder-only model (GPT-2, LLaMA, Qwen, Gemma) with @proj/decoder",
  "encoder-decoder": "an encoder-decoder model (T5, BART, Marian) with @proj/seq2seq",
};

function wrongFamily(label: string, family: ArchitectureFamily, expected: ArchitectureFamily): InputError {
  return new InputError(
    `${label} is ${family === "encoder" ? "an encoder-only" : family === "decoder" ? "a decoder-only" : "an encoder-decoder"} model, but this task needs ${FAMILY_USE[expected]}`,
    {
      hint: `this model is for ${FAMILY_USE[family]}`,
    },
  );
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/**
 * `error` (the model lacks a file), unless the source listed its files from a partial cache while offline: then the
 * model may well have the file, and the truth is that it cannot be fetched, so the source's `OfflineError`.
 *
 * @example
 * throw missingOrOffline(source, "tokenizer.json", new ModelNotFoundError("... has no tokenizer.json"));
 */
function missingOrOffline(source: ModelSource, what: string, error: ProjError): ProjError {
  return source.incompleteListingError?.(what) ?? error;
}

/**
 * Runs a choice made from the file listing (graphs, weight variants), turning its "no such file" errors into
 * {@link missingOrOffline}'s answer.
 *
 * @example
 * const graphs = inListing(source, () => defaultGraphs(family, files, source.label));
 */
function inListing<T>(source: ModelSource, choose: () => T): T {
  try {
    return choose();
  } catch (error) {
    if (error instanceof ModelNotFoundError) throw missingOrOffline(source, "onnx/*.onnx", error);
    throw error;
  }
}
