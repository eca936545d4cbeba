import { ChooserError } from "../errors.js";

/**
 * The tasks of the table, by their canonical (Hugging Face pipeline) names.
 *
 * @example
 * const task: CanonicalTask = "text-classification";
 */
export type CanonicalTask =
  | "text-classification"
  | "token-classification"
  | "question-answering"
  | "fill-mask"
  | "bias-audit"
  | "text-generation"
  | "chat"
  | "generative-qa"
  | "translation"
  | "summarization"
  | "feature-extraction"
  | "sentence-similarity"
  | "text-ranking"
  | "zero-shot-classification";

/** Every canonical task, in table order. */
export const CANONICAL_TASKS: readonly CanonicalTask[] = [
  "text-classification",
  "token-classification",
  "question-answering",
  "fill-mask",
  "bias-audit",
  "text-generation",
  "chat",
  "generative-qa",
  "translation",
  "summarization",
  "feature-extraction",
  "sentence-similarity",
  "text-ranking",
  "zero-shot-classification",
];

/**
 * The other names people type for a task, mapped to its canonical name: Hugging Face's aliases
 * (`"sentiment-analysis"`, `"ner"`) and the CLI's verbs (`"classify"`, `"qa"`, ...).
 *
 * @example
 * TASK_ALIASES["sentiment-analysis"]; // "text-classification"
 */
export const TASK_ALIASES = {
  /** Hugging Face's name for sentiment classification. */
  "sentiment-analysis": "text-classification",
  /** The CLI verb (`proj classify`). */
  classify: "text-classification",
  /** Hugging Face's short name for token classification. */
  ner: "token-classification",
  /** The CLI verb (`proj qa`). */
  qa: "question-answering",
  /** The server's route (`POST /v1/answer`) and the encoder's function (`answer()`). */
  answer: "question-answering",
  /** The CLI verb (`proj audit-bias`). */
  "audit-bias": "bias-audit",
  /** The CLI verb (`proj generate`). */
  generate: "text-generation",
  /** Hugging Face's former name for chat. */
  conversational: "chat",
  /** The CLI verb (`proj translate`). */
  translate: "translation",
  /** The CLI verb (`proj summarize`). */
  summarize: "summarization",
  /** The encoder's function (`embed()`) and the CLI verb (`proj embed`). */
  embed: "feature-extraction",
  /** OpenAI's route (`POST /v1/embeddings`). */
  embeddings: "feature-extraction",
  /** The encoder's function (`rerank()`) and the CLI verb (`proj rerank`). */
  rerank: "text-ranking",
  /** The CLI verb (`proj zero-shot`). */
  "zero-shot": "zero-shot-classification",
} as const satisfies Record<string, CanonicalTask>;

/**
 * An alias of a task (see {@link TASK_ALIASES}).
 *
 * @example
 * const alias: TaskAlias = "ner";
 */
export type TaskAlias = keyof typeof TASK_ALIASES;

/**
 * A translation task that names its languages, as Hugging Face writes it: `"translation_en_to_de"`.
 *
 * @example
 * const task: TranslationTaskName = "translation_en_to_fr";
 */
export type TranslationTaskName = `translation_${string}_to_${string}`;

/**
 * Any task name the chooser understands: canonical, alias, or `translation_xx_to_yy`.
 *
 * @example
 * const names: TaskName[] = ["summarization", "ner", "translation_en_to_de"];
 */
export type TaskName = CanonicalTask | TaskAlias | TranslationTaskName;

/**
 * A task name resolved to its canonical task, with the languages a `translation_xx_to_yy` name carries.
 *
 * @example
 * const resolved: ResolvedTask = resolveTask("translation_en_to_de"); // { task: "translation", from: "en", to: "de", ... }
 */
export interface ResolvedTask {
  /** The canonical task. */
  task: CanonicalTask;
  /** The name as given. */
  requested: string;
  /** Source language of a `translation_xx_to_yy` name. */
  from?: string;
  /** Target language of a `translation_xx_to_yy` name. */
  to?: string;
}

const TRANSLATION_NAME = /^translation_([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)_to_([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)$/;

/**
 * Resolves a task name (canonical, alias or `translation_xx_to_yy`) to its canonical task.
 * Throws a {@link ChooserError} with code `"UNKNOWN_TASK"` that lists the known names.
 *
 * @example
 * resolveTask("sentiment-analysis"); // { task: "text-classification", requested: "sentiment-analysis" }
 * resolveTask("translation_en_to_de"); // { task: "translation", requested: "translation_en_to_de", from: "en", to: "de" }
 */
export function resolveTask(name: string): ResolvedTask {
  if (typeof name !== "string") {
    throw new ChooserError("UNKNOWN_TASK", `Expected a task name, got ${name === null ? "null" : typeof name}`, knownTasksHint());
  }
  if ((CANONICAL_TASKS as readonly string[]).includes(name)) return { task: name as CanonicalTask, requested: name };
  if (Object.hasOwn(TASK_ALIASES, name)) return { task: TASK_ALIASES[name as TaskAlias], requested: name };
  const pair = TRANSLATION_NAME.exec(name);
  if (pair) return { task: "translation", requested: name, from: pair[1] as string, to: pair[2] as string };
  throw new ChooserError("UNKNOWN_TASK", `Unknown task "${name}"`, knownTasksHint());
}

/**
 * True when `name` is a task name the chooser understands.
 *
 * @example
 * isTaskName("ner"); // true
 * isTaskName("sentiment"); // false
 */
export function isTaskName(name: unknown): name is TaskName {
  if (typeof name !== "string") return false;
  return (CANONICAL_TASKS as readonly string[]).includes(name) || Object.hasOwn(TASK_ALIASES, name) || TRANSLATION_NAME.test(name);
}

function knownTasksHint(): string {
  return `known tasks: ${CANONICAL_TASKS.join(", ")}; aliases: ${Object.keys(TASK_ALIASES).join(", ")}, translation_<from>_to_<to>`;
}
