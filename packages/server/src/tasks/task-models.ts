import type { LoadOptions } from "@proj/core";
import {
  type Classifier,
  createClassifier,
  createEmbedder,
  createFillMask,
  createQuestionAnswerer,
  createReranker,
  createTokenClassifier,
  createZeroShotClassifier,
  type Embedder,
  type FillMasker,
  type QuestionAnswerer,
  type Reranker,
  type TokenClassifier,
  type ZeroShotClassifier,
} from "@proj/encoder";
import { createSummarizer, createTranslator, type Summarizer, type Translator } from "@proj/seq2seq";
import { InputError } from "@proj/core";
import { labelToId, modelIdOf, type ServedTask } from "../server/served-models.js";
import { type EndpointTask, endpointTaskOf, type ModelTask, type NameOf, SHORT_NAMES } from "./task-names.js";

/** The handle type of each task endpoint. */
interface EndpointHandles {
  "text-classification": Classifier;
  "token-classification": TokenClassifier;
  "question-answering": QuestionAnswerer;
  "fill-mask": FillMasker;
  translation: Translator;
  summarization: Summarizer;
  "feature-extraction": Embedder;
  /** Served by the feature-extraction model: a model given under this name is that model. */
  "sentence-similarity": Embedder;
  "text-ranking": Reranker;
  "zero-shot-classification": ZeroShotClassifier;
}

/**
 * The models of the task endpoints, keyed by any of the chooser's names of the task (`classify`,
 * `"sentiment-analysis"` or `"text-classification"`; `ner`; `answer` or `qa`; `"fill-mask"`; `translate`;
 * `summarize`; `embed`, `embeddings` or `"feature-extraction"`; `rerank` or `"text-ranking"`; `"zero-shot"` or
 * `"zero-shot-classification"`): a folder or Hub id (loaded by the server, disposed by `close()`), or a handle you
 * created (left to you). A task without a model answers 404; an unknown key is refused with the nearest task name.
 *
 * The feature-extraction model serves `/v1/embed`, `/v1/embeddings` (OpenAI's format) and `/v1/sentence-similarity`
 * (cosine similarities of its embeddings): it is one entry, under `embed` (or any name of feature-extraction) or
 * under `"sentence-similarity"`, not both.
 *
 * @example
 * const tasks: TaskModels = { classify: "./models/sst2", "fill-mask": "./models/bert", summarize: await createSummarizer("./models/distilbart") };
 * const search: TaskModels = { embed: "Xenova/all-MiniLM-L6-v2", rerank: "Xenova/ms-marco-MiniLM-L-6-v2" };
 */
export type TaskModels = { [T in EndpointTask as NameOf<T>]?: string | EndpointHandles[T] };

/** A task model once loaded. */
export interface LoadedTask {
  task: ServedTask;
  id: string;
  handle: { dispose(): Promise<void> };
  /** True when the server loaded it (and so disposes it). */
  owned: boolean;
}

type Create = (model: string, load: LoadOptions) => Promise<{ dispose(): Promise<void> }>;

/** How each task's model is loaded: every factory takes the same `{ load }`. */
const CREATE: { readonly [T in ModelTask]: Create } = {
  "text-classification": (model, load) => createClassifier(model, { load }),
  "token-classification": (model, load) => createTokenClassifier(model, { load }),
  "question-answering": (model, load) => createQuestionAnswerer(model, { load }),
  "fill-mask": (model, load) => createFillMask(model, { load }),
  translation: (model, load) => createTranslator(model, { load }),
  summarization: (model, load) => createSummarizer(model, { load }),
  "feature-extraction": (model, load) => createEmbedder(model, { load }),
  "text-ranking": (model, load) => createReranker(model, { load }),
  "zero-shot-classification": (model, load) => createZeroShotClassifier(model, { load }),
};

/**
 * Loads the task models given as folders or Hub ids (all at once), and names every task model. A key that names no
 * task endpoint, or two keys naming one task, is an `InputError`.
 *
 * @example
 * const loaded = await loadTaskModels({ classify: "./models/sst2" }, { threads: 2 });
 * // [{ task: "classify", id: "sst2", handle, owned: true }]
 */
export async function loadTaskModels(tasks: TaskModels, load: LoadOptions): Promise<LoadedTask[]> {
  if (tasks === null || typeof tasks !== "object" || Array.isArray(tasks)) {
    throw new InputError("createServer() tasks must be an object of task name -> model", { hint: '{ classify: "./models/sst2" }' });
  }
  const given = new Map<ModelTask, { name: string; spec: unknown }>();
  for (const [name, spec] of Object.entries(tasks)) {
    if (spec === undefined) continue;
    const task = endpointTaskOf(name);
    const twice = given.get(task);
    if (twice)
      throw new InputError(`createServer() tasks names ${task} twice ("${twice.name}" and "${name}")`, {
        hint: "give each task one model",
      });
    given.set(task, { name, spec });
  }
  const entry = async (task: ModelTask, spec: unknown): Promise<LoadedTask> => {
    const served = SHORT_NAMES[task];
    if (typeof spec === "string") return { task: served, id: modelIdOf(spec), handle: await CREATE[task](spec, load), owned: true };
    const handle = spec as { dispose?: unknown; model?: { source?: { label?: unknown } } };
    if (
      typeof handle !== "object" ||
      handle === null ||
      typeof handle.dispose !== "function" ||
      typeof handle.model?.source?.label !== "string"
    ) {
      throw new InputError(`createServer() tasks.${given.get(task)?.name}: expected a folder, a Hub id or a handle, got ${typeof spec}`);
    }
    return { task: served, id: labelToId(handle.model.source.label), handle: spec as LoadedTask["handle"], owned: false };
  };
  const settled = await Promise.allSettled([...given].map(([task, { spec }]) => entry(task, spec)));
  const loaded = settled.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(loaded.filter((t) => t.owned).map((t) => t.handle.dispose()));
    throw failed.reason;
  }
  return loaded;
}
