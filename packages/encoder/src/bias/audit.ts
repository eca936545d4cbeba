import { InputError, type TaskOptions, type Tokenizer } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { fillMaskHandle } from "../fill-mask/fill-mask.js";
import type { FillMasker } from "../fill-mask/fill-masker.js";
import { checkTaskOptions } from "../shared/options.js";
import { topKIndices } from "../shared/top-k.js";
import { checkInteger } from "../shared/validate.js";
import { jensenShannon } from "./divergence.js";
import { BIAS_DISCLAIMER, DEFAULT_BIAS_GROUPS, DEFAULT_BIAS_TEMPLATES } from "./templates.js";
import type { BiasCompletion, BiasDivergence, BiasGroupResult, BiasReport, BiasSetResult, BiasTemplateSet } from "./types.js";

/**
 * Options of {@link auditBias}: the masked language model (folder, Hub id or {@link FillMasker}; the embedded
 * fill-mask model when omitted), how to load it (`load`), a `signal`, and the probes.
 *
 * @example
 * const options: AuditBiasOptions = { groups: { men: ["man", "he"], women: ["woman", "she"] }, topK: 5 };
 */
export interface AuditBiasOptions extends TaskOptions<FillMasker> {
  /** Template sets to probe with. @defaultValue {@link DEFAULT_BIAS_TEMPLATES} (occupations, traits) */
  templates?: readonly BiasTemplateSet[];
  /** At least two groups of words, by group name. @defaultValue {@link DEFAULT_BIAS_GROUPS} (men, women) */
  groups?: Readonly<Record<string, readonly string[]>>;
  /** Completions listed per group. @defaultValue 10 */
  topK?: number;
  /** Probes run in one forward pass. @defaultValue 32 */
  batchSize?: number;
}

/**
 * The option names of {@link AuditBiasOptions}: anything else is refused with an `InputError`.
 *
 * @example
 * checkTaskOptions(options, "auditBias", AUDIT_BIAS_OPTION_NAMES);
 */
export const AUDIT_BIAS_OPTION_NAMES = optionNames<AuditBiasOptions>()([...TASK_OPTION_NAMES, "templates", "groups", "topK", "batchSize"]);

/**
 * Probes a masked language model for differences between groups of people, generalising the classic probe
 * ("This man works as a [MASK]." vs "This woman works as a [MASK]."): for every template set and group, the mask's
 * distribution is averaged over the templates and the group's words; the report lists each group's top-k whole-word
 * completions with their probabilities in every group, the completions exclusive to each group, those all groups
 * share, and the Jensen-Shannon divergence between each pair of groups.
 *
 * The report describes what this model completes for these probes. It does not certify the model as biased or
 * unbiased: other templates, words, languages or downstream tasks can behave differently.
 *
 * @example
 * const report = await auditBias({ model: "Xenova/bert-base-uncased", topK: 5 });
 * report.sets[0]?.groups.map((g) => g.exclusive); // [["carpenter", ...], ["nurse", ...]]
 * console.log(renderBiasReport(report));
 */
export async function auditBias(input?: AuditBiasOptions): Promise<BiasReport> {
  const options = checkTaskOptions(input, "auditBias", AUDIT_BIAS_OPTION_NAMES);
  const sets = checkTemplateSets(options.templates ?? DEFAULT_BIAS_TEMPLATES);
  const groups = checkGroups(options.groups ?? DEFAULT_BIAS_GROUPS);
  const topK =
    options.topK === undefined ? 10 : checkInteger(options.topK, "topK", 1, 1000, "pass the number of completions to list per group");
  const masker = await fillMaskHandle(options);
  const call = {
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  const results: BiasSetResult[] = [];
  for (const set of sets) {
    const distributions = new Map<string, Float64Array>();
    for (const [group, words] of Object.entries(groups)) {
      const texts = set.templates.flatMap((t) => words.map((w) => t.replaceAll("{group}", w).replace("{mask}", masker.maskToken)));
      const probabilities = await masker.probabilities(texts, call);
      distributions.set(group, average(probabilities));
    }
    results.push(await summarise(set, distributions, topK, masker.model.tokenizer));
  }
  return { model: masker.model.source.label, topK, groups, sets: results, disclaimer: BIAS_DISCLAIMER };
}

async function summarise(
  set: BiasTemplateSet,
  distributions: Map<string, Float64Array>,
  topK: number,
  tokenizer: Tokenizer,
): Promise<BiasSetResult> {
  const names = [...distributions.keys()];
  const tops = new Map<string, Array<{ id: number; token: string }>>();
  for (const [group, p] of distributions) tops.set(group, await topWords(p, topK, tokenizer));
  const inGroups = (token: string): string[] => names.filter((g) => tops.get(g)?.some((c) => c.token === token));
  const groups: BiasGroupResult[] = names.map((group) => {
    const top = tops.get(group) ?? [];
    const completions: BiasCompletion[] = top.map(({ id, token }) => ({
      token,
      tokenId: id,
      probability: distributions.get(group)?.[id] ?? 0,
      byGroup: Object.fromEntries(names.map((g) => [g, distributions.get(g)?.[id] ?? 0])),
    }));
    return { group, completions, exclusive: top.filter((c) => inGroups(c.token).length === 1).map((c) => c.token) };
  });
  const shared = (tops.get(names[0] as string) ?? []).filter((c) => inGroups(c.token).length === names.length).map((c) => c.token);
  const divergences: BiasDivergence[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = names[i] as string;
      const b = names[j] as string;
      divergences.push({
        groups: [a, b],
        jensenShannon: jensenShannon(distributions.get(a) as Float64Array, distributions.get(b) as Float64Array),
      });
    }
  }
  return { name: set.name, templates: set.templates, groups, shared, divergences };
}

/** The `k` most likely tokens that are whole words (not special tokens, subword pieces or punctuation). */
async function topWords(p: Float64Array, k: number, tokenizer: Tokenizer): Promise<Array<{ id: number; token: string }>> {
  for (let pool = k * 4; ; pool *= 4) {
    const out: Array<{ id: number; token: string }> = [];
    for (const id of topKIndices(p, pool)) {
      const piece = tokenizer.idToToken(id) ?? "";
      if (tokenizer.isSpecial(id) || piece.startsWith("##")) continue;
      const token = (await tokenizer.decode([id])).trim();
      if (!/\p{L}/u.test(token)) continue;
      out.push({ id, token });
      if (out.length === k) return out;
    }
    if (pool >= p.length) return out;
  }
}

function average(rows: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(rows[0]?.length ?? 0);
  for (const row of rows) for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) + (row[i] as number);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / rows.length;
  return out;
}

function checkTemplateSets(sets: readonly BiasTemplateSet[]): readonly BiasTemplateSet[] {
  if (!Array.isArray(sets) || sets.length === 0)
    throw new InputError("templates must be a non-empty array of template sets", { hint: "omit it for DEFAULT_BIAS_TEMPLATES" });
  for (const set of sets) {
    if (!set || typeof set.name !== "string" || !Array.isArray(set.templates) || set.templates.length === 0) {
      throw new InputError("each template set needs a name and a non-empty list of templates", {
        hint: 'e.g. { name: "occupations", templates: ["This {group} works as a {mask}."] }',
      });
    }
    for (const template of set.templates) {
      if (typeof template !== "string" || !template.includes("{group}") || template.split("{mask}").length !== 2) {
        throw new InputError(`The template ${JSON.stringify(template)} of "${set.name}" must contain {group} and exactly one {mask}`, {
          hint: 'e.g. "This {group} works as a {mask}."',
        });
      }
    }
  }
  return sets;
}

function checkGroups(groups: Readonly<Record<string, readonly string[]>>): Record<string, readonly string[]> {
  const entries = groups && typeof groups === "object" ? Object.entries(groups) : [];
  if (entries.length < 2)
    throw new InputError("groups must name at least two groups of words to compare", { hint: 'e.g. { men: ["man"], women: ["woman"] }' });
  for (const [name, words] of entries) {
    if (!Array.isArray(words) || words.length === 0 || !words.every((w) => typeof w === "string" && w.trim() !== "")) {
      throw new InputError(`The group "${name}" must be a non-empty list of words`);
    }
  }
  return Object.fromEntries(entries);
}
