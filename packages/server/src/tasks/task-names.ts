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
] as const satisfies readonly CanonicalTask[];

/**
 * A task of the task endpoints.
 *
 * @example
 * const task: EndpointTask = "summarization";
 */
export type EndpointTask = (typeof ENDPOINT_TASKS)[number];

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
} as const satisfies { readonly [T in EndpointTask | "text-generation"]: NameOf<T> };

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
 * The served task a `tasks` key of `createServer` names (any of the chooser's names of it); an {@link InputError}
 * naming the nearest served name for anything else.
 *
 * @example
 * endpointTaskOf("ner"); // "token-classification"
 * endpointTaskOf("fillMask"); // InputError: createServer() tasks has no task "fillMask" (hint: did you mean "fill-mask"?)
 */
export function endpointTaskOf(name: string): EndpointTask {
  let canonical: CanonicalTask | undefined;
  try {
    canonical = resolveTask(name).task;
  } catch {
    canonical = undefined;
  }
  if (canonical !== undefined && (ENDPOINT_TASKS as readonly string[]).includes(canonical)) return canonical as EndpointTask;
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
