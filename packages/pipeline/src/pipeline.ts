import {
  type CanonicalTask,
  ChooserError,
  type ResolvedTask,
  resolveTask,
  type TASK_ALIASES,
  type TaskAlias,
  type TaskName,
  taskRow,
  type TranslationTaskName,
} from "@proj/chooser";
import { InputError } from "@proj/core";
import { checkLoadOptions, checkOptions, LOAD_OPTION_NAMES } from "@proj/core/internal";
import { type AnyPipeline, FACTORIES, type PipelineTaskMap } from "./registry.js";
import { defaultModelFor } from "./shared/default-model.js";
import {
  PIPELINE_OPTION_NAMES,
  type PipelineOptions,
  TRANSLATION_PIPELINE_OPTION_NAMES,
  type TranslationPipelineOptions,
} from "./shared/options.js";
import type { BiasAuditPipeline } from "./tasks/bias-audit.js";
import type { ChatPipeline } from "./tasks/chat.js";
import type { FillMaskPipeline } from "./tasks/fill-mask.js";
import type { GenerativeQAPipeline } from "./tasks/generative-qa.js";
import type { QuestionAnsweringPipeline } from "./tasks/question-answering.js";
import type { SummarizationPipeline } from "./tasks/summarization.js";
import type { TextClassificationPipeline } from "./tasks/text-classification.js";
import type { TextGenerationPipeline } from "./tasks/text-generation.js";
import type { TokenClassificationPipeline } from "./tasks/token-classification.js";
import type { TranslationPipeline } from "./tasks/translation.js";

/**
 * The aliases of a canonical task in the chooser's table, e.g. `"sentiment-analysis" | "classify"` for
 * `"text-classification"`.
 *
 * @example
 * const alias: AliasOf<"token-classification"> = "ner";
 */
export type AliasOf<T extends CanonicalTask> = { [K in TaskAlias]: (typeof TASK_ALIASES)[K] extends T ? K : never }[TaskAlias];

/**
 * The canonical task a task name means.
 *
 * @example
 * type T = CanonicalOf<"sentiment-analysis">; // "text-classification"
 */
export type CanonicalOf<N extends TaskName> = N extends CanonicalTask
  ? N
  : N extends TaskAlias
    ? (typeof TASK_ALIASES)[N]
    : N extends TranslationTaskName
      ? "translation"
      : never;

/**
 * The pipeline type a task name returns.
 *
 * @example
 * type P = PipelineFor<"ner">; // TokenClassificationPipeline
 */
export type PipelineFor<N extends TaskName> = PipelineTaskMap[CanonicalOf<N>];

/**
 * The options type of a task name: translation pipelines also take a default language pair.
 *
 * @example
 * const options: PipelineOptionsFor<"translation"> = { from: "en", to: "fr" };
 */
export type PipelineOptionsFor<N extends TaskName> = CanonicalOf<N> extends "translation" ? TranslationPipelineOptions : PipelineOptions;

/**
 * Creates a sentiment / text-classification pipeline (an encoder such as DistilBERT).
 *
 * @example
 * const classify = await pipeline("sentiment-analysis");
 * const [best] = await classify("I love this movie"); // { label: "POSITIVE", score: 0.99 }
 */
export function pipeline(
  task: "text-classification" | AliasOf<"text-classification">,
  options?: PipelineOptions,
): Promise<TextClassificationPipeline>;
/**
 * Creates a named-entity recognition pipeline (an encoder such as BERT-NER).
 *
 * @example
 * const ner = await pipeline("ner");
 * await ner("Ada Lovelace lived in London", { aggregation: "simple" }); // [{ entity: "PER", word: "Ada Lovelace", ... }, ...]
 */
export function pipeline(
  task: "token-classification" | AliasOf<"token-classification">,
  options?: PipelineOptions,
): Promise<TokenClassificationPipeline>;
/**
 * Creates an extractive question-answering pipeline.
 *
 * @example
 * const qa = await pipeline("question-answering");
 * await qa({ question: "Where is the tower?", context: "The tower is in Paris." }); // { answer: "Paris", ... }
 */
export function pipeline(
  task: "question-answering" | AliasOf<"question-answering">,
  options?: PipelineOptions,
): Promise<QuestionAnsweringPipeline>;
/**
 * Creates a fill-mask pipeline.
 *
 * @example
 * const unmask = await pipeline("fill-mask");
 * await unmask(`Paris is the ${unmask.maskToken} of France.`);
 */
export function pipeline(task: "fill-mask" | AliasOf<"fill-mask">, options?: PipelineOptions): Promise<FillMaskPipeline>;
/**
 * Creates a bias-audit pipeline over a masked language model.
 *
 * @example
 * const audit = await pipeline("bias-audit");
 * const report = await audit({ topK: 5 });
 */
export function pipeline(task: "bias-audit" | AliasOf<"bias-audit">, options?: PipelineOptions): Promise<BiasAuditPipeline>;
/**
 * Creates a text-generation pipeline (a decoder such as GPT-2 or LLaMA).
 *
 * @example
 * const generate = await pipeline("text-generation");
 * const { text } = await generate("Once upon a time", { maxNewTokens: 30 });
 */
export function pipeline(task: "text-generation" | AliasOf<"text-generation">, options?: PipelineOptions): Promise<TextGenerationPipeline>;
/**
 * Creates a chat pipeline (an instruction-tuned decoder with a chat template).
 *
 * @example
 * const chat = await pipeline("chat");
 * const { text } = await chat([{ role: "user", content: "Hi!" }]);
 */
export function pipeline(task: "chat" | AliasOf<"chat">, options?: PipelineOptions): Promise<ChatPipeline>;
/**
 * Creates a generative question-answering pipeline (an instruction-tuned decoder, or Flan-T5).
 *
 * @example
 * const ask = await pipeline("generative-qa");
 * const { answer } = await ask({ question: "Is it waterproof?", context: "The watch resists water to 50 m." });
 */
export function pipeline(task: "generative-qa" | AliasOf<"generative-qa">, options?: PipelineOptions): Promise<GenerativeQAPipeline>;
/**
 * Creates a translation pipeline (an encoder-decoder such as T5 or Marian); `"translation_en_to_de"` fixes the pair.
 *
 * @example
 * const toGerman = await pipeline("translation_en_to_de");
 * const { text } = await toGerman("Good morning");
 */
export function pipeline(
  task: "translation" | AliasOf<"translation"> | TranslationTaskName,
  options?: TranslationPipelineOptions,
): Promise<TranslationPipeline>;
/**
 * Creates a summarization pipeline (an encoder-decoder such as BART).
 *
 * @example
 * const summarize = await pipeline("summarization");
 * const { text } = await summarize(article);
 */
export function pipeline(task: "summarization" | AliasOf<"summarization">, options?: PipelineOptions): Promise<SummarizationPipeline>;
/**
 * Creates the pipeline of a task name known only at run time; its type is the union of what the name can be.
 *
 * @example
 * const name: TaskName = process.argv[2] as TaskName;
 * const p = await pipeline(name); // AnyPipeline
 */
export function pipeline<N extends TaskName>(task: N, options?: PipelineOptionsFor<N>): Promise<PipelineFor<N>>;
export async function pipeline(task: TaskName, given?: TranslationPipelineOptions): Promise<AnyPipeline> {
  let resolved: ResolvedTask;
  try {
    resolved = resolveTask(task);
  } catch (error) {
    // The chooser has no @proj/core dependency, so its error is its own class (instanceof is all it offers).
    if (error instanceof ChooserError) throw new InputError(error.message, { ...(error.hint ? { hint: error.hint } : {}), cause: error });
    throw error;
  }
  const names = resolved.task === "translation" ? TRANSLATION_PIPELINE_OPTION_NAMES : PIPELINE_OPTION_NAMES;
  refuseTopLevelLoad(given, `pipeline("${task}")`);
  const options = checkOptions(given, `pipeline("${task}")`, names);
  const load = checkLoadOptions(options.load, "pipeline");
  if (options.model !== undefined && (typeof options.model !== "string" || options.model.trim() === "")) {
    throw new InputError("pipeline() model must be a model folder or a Hub id", { hint: "omit it for the task's default model" });
  }
  const row = taskRow(resolved.task);
  const modelId = options.model ?? defaultModelFor(row, resolved, options);
  const factory = FACTORIES[row.task] as (context: Parameters<(typeof FACTORIES)[CanonicalTask]>[0]) => Promise<AnyPipeline>;
  const signal = options.signal;
  const create = { load, ...(signal ? { signal } : {}) };
  return factory({ row, resolved, modelId, load, signal, create, options });
}

/** A load option given beside `model` (the shape before `load`) is refused with where it goes now. */
function refuseTopLevelLoad(given: unknown, where: string): void {
  if (given === null || typeof given !== "object") return;
  for (const [name, value] of Object.entries(given)) {
    if (!(LOAD_OPTION_NAMES as readonly string[]).includes(name)) continue;
    const shown = typeof value === "function" ? "..." : (JSON.stringify(value) ?? String(value));
    throw new InputError(`${where} has no option "${name}"`, { hint: `it is a load option: pass { load: { ${name}: ${shown} } }` });
  }
}
