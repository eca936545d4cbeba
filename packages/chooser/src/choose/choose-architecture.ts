import { resolveTask, type CanonicalTask } from "../tasks/task-names.js";
import { taskRow } from "../tasks/table.js";
import type { ArchitectureFamily, ServedBy, TaskRow } from "../tasks/types.js";
import { type ArchitectureConstraints, checkConstraints } from "./constraints.js";
import { type LongInputAdvice, longInputAdvice } from "./long-input.js";
import { type RankedModel, rankModel, sortRanked } from "./rank.js";

/**
 * The answer of {@link chooseArchitecture}: the family, the ranked models, the reasons, and what to do with long inputs.
 *
 * @example
 * const { family, best, reasons } = chooseArchitecture("ner", { languages: ["de"] });
 */
export interface ArchitectureChoice {
  /** The canonical task. */
  task: CanonicalTask;
  /** The task's table row. */
  row: TaskRow;
  /** The family that serves it. */
  family: ArchitectureFamily;
  /** Other families that also serve it. */
  alternativeFamilies: readonly ArchitectureFamily[];
  /** The package function that runs it. */
  servedBy: ServedBy;
  /** Every recommended model, checked against the constraints, best first. */
  models: RankedModel[];
  /** The best model that meets every constraint, if any does. */
  best: RankedModel | undefined;
  /** Advice when the longest input exceeds the best model's window. */
  longInput: LongInputAdvice | undefined;
  /** Why, in sentences: the family, the best model, and what no model could meet. */
  reasons: string[];
}

/**
 * Chooses the architecture and model for a task under constraints (languages, longest input, memory budget,
 * latency, license). Returns the family and why, every recommended model ranked with the reasons and problems of
 * each, the best one that fits, and, for inputs longer than its window, the long-input strategy (windowing with
 * stride, chunked summarization, prompt truncation) or the long-context models that hold them.
 * Throws a {@link ChooserError} for an unknown task or an invalid constraint.
 *
 * @example
 * const choice = chooseArchitecture("summarization", { maxInputTokens: 6000, memoryBudgetMb: 1500 });
 * choice.family;                 // "encoder-decoder"
 * choice.best?.model.id;         // "Xenova/distilbart-cnn-6-6"
 * choice.longInput?.strategy;    // "chunk"
 */
export function chooseArchitecture(task: string, constraints: ArchitectureConstraints = {}): ArchitectureChoice {
  const resolved = resolveTask(task);
  const row = taskRow(resolved.task);
  const c: ArchitectureConstraints = {
    ...checkConstraints(constraints),
    ...(resolved.from && constraints.from === undefined ? { from: resolved.from } : {}),
    ...(resolved.to && constraints.to === undefined ? { to: resolved.to } : {}),
  };
  const models = sortRanked(
    row.models.map((m) => rankModel(m, row, c)),
    row,
    c,
  );
  const best = models.find((m) => m.fits);
  const reasons = [`${row.title} runs best on ${row.family} models (${row.architectures.join(", ")}): ${row.why}`];
  if (best) {
    reasons.push(`Best fit: ${best.model.id} (${best.model.architecture}). ${capitalise(best.reasons.join("; ") || best.model.note)}.`);
  } else {
    reasons.push(
      `No recommended model meets every constraint: ${models.map((m) => `${m.model.id}: ${m.problems.join("; ")}`).join(" | ")}.`,
    );
  }
  const target = best ?? models[0];
  const longInput = target && c.maxInputTokens !== undefined ? longInputAdvice(row, target.model, c.maxInputTokens) : undefined;
  if (longInput) reasons.push(`Long inputs: ${longInput.explanation}`);
  return {
    task: row.task,
    row,
    family: row.family,
    alternativeFamilies: row.alternativeFamilies,
    servedBy: row.servedBy,
    models,
    best,
    longInput,
    reasons,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
