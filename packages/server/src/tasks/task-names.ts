import { type CanonicalTask, resolveTask, TASK_ALIASES, type TaskAlias } from "@proj/chooser";
import { InputError } from "@proj/core";
import { nearestName } from "@proj/core/internal";

/**
 * The chooser's tasks that the task endpoints serve, by canonical name. Generation (`text-generation`, `chat`) is
 * served by the OpenAI endpoints instead.
 *
 * @example
 * ENDPOINT_TASKS.includes("fill-mask"); // true
 */
export const ENDPOINT_TASKS = [
  "text-classification",
  "token-classification",
  "question-answering",
  "fill-mask",
  "translation",
  "summarization",
  "feature-extraction",
  "sentence-similarity",
  "text-ranking",
  "zero-shot-classification",
] as const satisfies readonly CanonicalTask[];

/**
 * A task of the task endpoints.
 *
 * @example
 * const task: EndpointTask = "summarization";
 */
export type EndpointTask = (typeof ENDPOINT_TASKS)[number];

/**
 * The task endpoints served by another task's model: sentence-similarity compares the embeddings of the
 * feature-extraction (`embed`) model, so it has no model of its own (a `tasks` entry under its name is the
 * feature-extraction model).
 *
 * @example
 * MODEL_TASK_OF["sentence-similarity"]; // "feature-extraction"
 */
export const MODEL_TASK_OF = { "sentence-similarity": "feature-extraction" } as const satisfies Partial<Record<EndpointTask, EndpointTask>>;

/**
 * A task endpoint with a model of its own: a `tasks` entry of `createServer`, one model in `GET /v1/models`.
 *
 * @example
 * const task: ModelTask = "feature-extraction";
 */
export type ModelTask = Exclude<EndpointTask, keyof typeof MODEL_TASK_OF>;

/**
 * The task whose model serves a task endpoint: the task itself, or the one {@link MODEL_TASK_OF} names.
 *
 * @example
 * modelTaskOf("sentence-similarity"); // "feature-extraction"
 */
export function modelTaskOf(task: EndpointTask): ModelTask {
  return (MODEL_TASK_OF as Partial<Record<EndpointTask, ModelTask>>)[task] ?? (task as ModelTask);
}

/**
 * The names the chooser gives a task: its canonical name or one of its aliases.
 *
 * @example
 * const name: NameOf<"token-classification"> = "ner";
 */
export type NameOf<T extends CanonicalTask> = T | { [K in TaskAlias]: (typeof TASK_ALIASES)[K] extends T ? K : never }[TaskAlias];

/**
 * The short name of each served task: what `GET /v1/models` reports as a model's `task`, and the route the docs
 * show (`POST /v1/classify`). Each is one of the chooser's names for the task (the type checks it); every other name
 * of the task is a route too (`POST /v1/text-classification`, `POST /v1/sentiment-analysis`).
 *
 * @example
 * SHORT_NAMES["question-answering"]; // "answer"
 */
export const SHORT_NAMES = {
  "text-generation": "generate",
  "text-classification": "classify",
  "token-classification": "ner",
  "question-answering": "answer",
  "fill-mask": "fill-mask",
  translation: "translate",
  summarization: "summarize",
  "feature-extraction": "embed",
  "text-ranking": "rerank",
  "zero-shot-classification": "zero-shot",
} as const satisfies { readonly [T in ModelTask | "text-generation"]: NameOf<T> };

/**
 * The chooser's names whose route speaks OpenAI's wire format instead of the task endpoint's: `POST /v1/embeddings`
 * (an alias of feature-extraction) answers as OpenAI's embeddings API does, so OpenAI clients can use it.
 *
 * @example
 * OPENAI_FORMAT_NAMES.includes("embeddings"); // true
 */
export const OPENAI_FORMAT_NAMES: readonly string[] = ["embeddings"];

/**
 * The routes of Text Embeddings Inference's wire format (`POST /embed`, `/rerank`, `/predict`, at the root as TEI
 * serves them) and the task whose model answers each: another format over the same models, as `/v1/embeddings` is
 * OpenAI's format over the feature-extraction model.
 *
 * @example
 * TEI_FORMAT_ROUTES.predict; // "text-classification"
 */
export const TEI_FORMAT_ROUTES = {
  embed: "feature-extraction",
  rerank: "text-ranking",
  predict: "text-classification",
} as const satisfies Readonly<Record<string, ModelTask>>;

/**
 * Every name of a task in the chooser: the canonical name, then its aliases.
 *
 * @example
 * namesOf("token-classification"); // ["token-classification", "ner"]
 */
export function namesOf(task: CanonicalTask): string[] {
  return [task, ...Object.entries(TASK_ALIASES).flatMap(([alias, canonical]) => (canonical === task ? [alias] : []))];
}

/** Every name a served task answers to, for error hints. */
function servedNames(): string[] {
  return ENDPOINT_TASKS.flatMap(namesOf);
}

/**
 * The task model a `tasks` key of `createServer` names (any of the chooser's names of a served task; for
 * sentence-similarity, the feature-extraction model that serves it); an {@link InputError} naming the nearest served
 * name for anything else.
 *
 * @example
 * endpointTaskOf("ner"); // "token-classification"
 * endpointTaskOf("sentence-similarity"); // "feature-extraction"
 * endpointTaskOf("fillMask"); // InputError: createServer() tasks has no task "fillMask" (hint: did you mean "fill-mask"?)
 */
export function endpointTaskOf(name: string): ModelTask {
  let canonical: CanonicalTask | undefined;
  try {
    canonical = resolveTask(name).task;
  } catch {
    canonical = undefined;
  }
  if (canonical !== undefined && (ENDPOINT_TASKS as readonly string[]).includes(canonical)) return modelTaskOf(canonical as EndpointTask);
  const near = nearestName(name, servedNames());
  const why = canonical === undefined ? `has no task "${name}"` : `cannot serve "${name}" (${canonical}) as a task endpoint`;
  throw new InputError(`createServer() tasks ${why}`, {
    hint:
      canonical === "text-generation" || canonical === "chat"
        ? "generation is served by the OpenAI endpoints: pass { model } or { generator }"
        : near
          ? `did you mean "${near}"?`
          : `the task endpoints serve: ${ENDPOINT_TASKS.map((t) => namesOf(t).join(" / ")).join(", ")}`,
  });
}
