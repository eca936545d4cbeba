import { InputError } from "@proj/core";

/**
 * Where an NLI head puts entailment and contradiction.
 *
 * @example
 * const ids: NliLabels = { entailment: 1, contradiction: 2 };
 * @internal
 */
export interface NliLabels {
  entailment: number;
  contradiction: number;
}

/**
 * Finds the entailment and contradiction logits of an NLI head from its `id2label` (case-insensitive): entailment
 * is the label starting with "entail" (as the Python pipeline looks for it); contradiction the one named
 * "contradiction" or "not_entailment" (as transformers.js reads it), else, as the Python pipeline assumes, index 0
 * (the last index when entailment is 0). A head without an entailment label is an {@link InputError}.
 *
 * @example
 * nliLabels({ 0: "NEUTRAL", 1: "ENTAILMENT", 2: "CONTRADICTION" }, 3, label); // { entailment: 1, contradiction: 2 }
 * @internal
 */
export function nliLabels(id2label: Readonly<Record<number, string>>, count: number, model: string): NliLabels {
  const entries = Object.entries(id2label).map(([id, label]) => [Number(id), label.toLowerCase()] as const);
  const entailment = entries.find(([, l]) => l.startsWith("entail"))?.[0];
  if (entailment === undefined || count < 2) {
    throw new InputError(
      `${model} is not an NLI model: its labels (${Object.values(id2label).join(", ") || "none"}) name no entailment class`,
      { hint: "pass a model fine-tuned on MNLI/XNLI, such as Xenova/distilbert-base-uncased-mnli" },
    );
  }
  const contradiction =
    entries.find(([, l]) => l === "contradiction")?.[0] ??
    entries.find(([, l]) => l === "not_entailment")?.[0] ??
    entries.find(([, l]) => l.startsWith("contradict"))?.[0] ??
    (entailment === 0 ? count - 1 : 0);
  return { entailment, contradiction };
}
