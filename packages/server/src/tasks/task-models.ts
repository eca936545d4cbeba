import type { LoadModelOptions } from "@proj/core";
import {
  type Classifier,
  createClassifier,
  createFillMask,
  createQuestionAnswerer,
  createTokenClassifier,
  type EncoderLoadOptions,
  type FillMasker,
  type QuestionAnswerer,
  type TokenClassifier,
} from "@proj/encoder";
import { createSummarizer, createTranslator, type Summarizer, type Translator } from "@proj/seq2seq";
import { labelToId, modelIdOf, type ServedTask } from "../server/served-models.js";

/**
 * The models of the task endpoints: a folder or Hub id (loaded by the server, disposed by `close()`), or a handle
 * you created (left to you). A task without a model answers 404.
 *
 * @example
 * const tasks: TaskModels = { classify: "./models/sst2", summarize: await createSummarizer("./models/distilbart") };
 */
export interface TaskModels {
  /** `POST /v1/classify`: a sequence-classification model. */
  classify?: string | Classifier;
  /** `POST /v1/ner`: a token-classification model. */
  ner?: string | TokenClassifier;
  /** `POST /v1/answer`: an extractive question-answering model. */
  answer?: string | QuestionAnswerer;
  /** `POST /v1/fill-mask`: a masked language model. */
  fillMask?: string | FillMasker;
  /** `POST /v1/translate`: an encoder-decoder translation model. */
  translate?: string | Translator;
  /** `POST /v1/summarize`: an encoder-decoder summarization model. */
  summarize?: string | Summarizer;
}

/** A task model once loaded. */
export interface LoadedTask {
  task: ServedTask;
  id: string;
  handle: { dispose(): Promise<void> };
  /** True when the server loaded it (and so disposes it). */
  owned: boolean;
}

function encoderOptions(load: LoadModelOptions): EncoderLoadOptions {
  const { dtype, threads, interOpThreads, graphOptimization, device, logLevel, hub } = load;
  return {
    ...(typeof dtype === "string" ? { dtype } : {}),
    ...(threads !== undefined ? { threads } : {}),
    ...(interOpThreads !== undefined ? { interOpThreads } : {}),
    ...(graphOptimization !== undefined ? { graphOptimization } : {}),
    ...(device !== undefined ? { device } : {}),
    ...(logLevel !== undefined ? { logLevel } : {}),
    ...(hub !== undefined ? { hub } : {}),
  };
}

/**
 * Loads the task models given as folders or Hub ids (all at once), and names every task model.
 *
 * @example
 * const loaded = await loadTaskModels({ classify: "./models/sst2" }, { threads: 2 });
 * // [{ task: "classify", id: "sst2", handle, owned: true }]
 */
export async function loadTaskModels(tasks: TaskModels, load: LoadModelOptions): Promise<LoadedTask[]> {
  const encoder = encoderOptions(load);
  const entry = async <H extends { dispose(): Promise<void>; model: { source: { label: string } } }>(
    task: ServedTask,
    spec: string | H | undefined,
    create: (model: string) => Promise<H>,
  ): Promise<LoadedTask | undefined> => {
    if (spec === undefined) return undefined;
    if (typeof spec !== "string") return { task, id: labelToId(spec.model.source.label), handle: spec, owned: false };
    return { task, id: modelIdOf(spec), handle: await create(spec), owned: true };
  };
  const settled = await Promise.allSettled([
    entry("classify", tasks.classify, (m) => createClassifier(m, encoder)),
    entry("ner", tasks.ner, (m) => createTokenClassifier(m, encoder)),
    entry("answer", tasks.answer, (m) => createQuestionAnswerer(m, encoder)),
    entry("fill-mask", tasks.fillMask, (m) => createFillMask(m, encoder)),
    entry("translate", tasks.translate, (m) => createTranslator(m, load)),
    entry("summarize", tasks.summarize, (m) => createSummarizer(m, load)),
  ]);
  const loaded = settled.flatMap((s) => (s.status === "fulfilled" && s.value ? [s.value] : []));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) {
    await Promise.all(loaded.filter((t) => t.owned).map((t) => t.handle.dispose()));
    throw failed.reason;
  }
  return loaded;
}
