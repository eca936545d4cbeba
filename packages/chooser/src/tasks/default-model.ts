import { ChooserError } from "../errors.js";
import { baseLanguage } from "../languages/languages.js";
import { taskRow } from "./table.js";
import { CANONICAL_TASKS, type CanonicalTask, resolveTask } from "./task-names.js";

/**
 * What a task loads when the caller names no model: the embedded model of `@proj/models` (by name) when it suits
 * the call and is installed, else the Hub model.
 *
 * @example
 * const choice: DefaultModelChoice = defaultModelOf("translation", { from: "English", to: "German" });
 * // { embeddedModel: "translation-en-de", hubModel: "Xenova/t5-small" }
 */
export interface DefaultModelChoice {
  /** Name of the embedded model (`"sentiment"`, `"translation-en-de"` ...) to use when installed; `undefined` when none suits. */
  embeddedModel: string | undefined;
  /** Hub id to use when the embedded model is absent or does not suit. */
  hubModel: string;
}

/**
 * The language pair of a call, as the caller gave it (codes or names); omitted sides take the task name's
 * (`translation_en_to_de`), then the embedded model's.
 *
 * @example
 * const pair: DefaultModelPair = { from: "English", to: "de" };
 */
export interface DefaultModelPair {
  /** Source language. */
  from?: string | undefined;
  /** Target language. */
  to?: string | undefined;
}

/**
 * The Hub model each task loads when none is given and no embedded model serves it, from `TASK_TABLE`.
 *
 * @example
 * DEFAULT_MODELS["text-classification"]; // "Xenova/distilbert-base-uncased-finetuned-sst-2-english"
 */
export const DEFAULT_MODELS: Readonly<Record<CanonicalTask, string>> = Object.fromEntries(
  CANONICAL_TASKS.map((task) => [task, taskRow(task).defaultModel]),
) as Record<CanonicalTask, string>;

/**
 * The one rule for a task's default model: the task's embedded model when it has one (for translation, only for
 * the embedded model's direction, with languages normalised through `LANGUAGES`: `"English"`, `"en"` and
 * `"eng_Latn"` are the same), and the table's Hub model. `@proj/models`' `defaultModelPath` turns the choice into
 * a folder or Hub id. Throws a {@link ChooserError} for an unknown task or a language that is not a string.
 *
 * @example
 * defaultModelOf("translation_en_to_de").embeddedModel;                    // "translation-en-de"
 * defaultModelOf("translation", { from: "English", to: "German" }).embeddedModel; // "translation-en-de"
 * defaultModelOf("translation", { to: "fr" });                            // { embeddedModel: undefined, hubModel: "Xenova/t5-small" }
 */
export function defaultModelOf(task: string, pair: DefaultModelPair = {}): DefaultModelChoice {
  const resolved = resolveTask(task);
  const row = taskRow(resolved.task);
  const hubModel = row.defaultModel;
  const direction = row.embeddedDirection;
  if (row.embeddedModel === undefined || direction === undefined) return { embeddedModel: row.embeddedModel, hubModel };
  const from = language(pair.from, "from") ?? resolved.from ?? direction.from;
  const to = language(pair.to, "to") ?? resolved.to ?? direction.to;
  const suits = baseLanguage(from) === direction.from && baseLanguage(to) === direction.to;
  return { embeddedModel: suits ? row.embeddedModel : undefined, hubModel };
}

function language(value: unknown, side: "from" | "to"): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  throw new ChooserError(
    "INVALID_CONSTRAINT",
    `${side} must be a language code or name such as "de" or "German", got ${value === null ? "null" : typeof value}`,
    `e.g. { ${side}: "de" }`,
  );
}
