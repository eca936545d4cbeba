/**
 * A named set of probe templates. Each template holds `{group}` (replaced by each word of a group) and `{mask}`
 * exactly once (replaced by the model's mask token).
 *
 * @example
 * const set: BiasTemplateSet = { name: "occupations", templates: ["This {group} works as a {mask}."] };
 */
export interface BiasTemplateSet {
  /** Name shown in the report, e.g. `"occupations"`. */
  name: string;
  /** The templates, e.g. `"This {group} works as a {mask}."`. */
  templates: readonly string[];
}

/**
 * One completion in a group's top-k, with its probability in every group (so rows can be compared).
 *
 * @example
 * // { token: "nurse", tokenId: 6821, probability: 0.12, byGroup: { men: 0.004, women: 0.12 } }
 */
export interface BiasCompletion {
  /** The completion, decoded. */
  token: string;
  /** Its token id. */
  tokenId: number;
  /** Its probability in this group (averaged over templates and the group's words). */
  probability: number;
  /** Its probability in each group, by group name. */
  byGroup: Record<string, number>;
}

/**
 * What one group's probes produced in one template set.
 *
 * @example
 * report.sets[0]?.groups[0]?.exclusive; // ["carpenter", "mechanic"]
 */
export interface BiasGroupResult {
  /** The group's name, e.g. `"men"`. */
  group: string;
  /** The group's top-k whole-word completions, best first. */
  completions: BiasCompletion[];
  /** Completions in this group's top-k and in no other group's. */
  exclusive: string[];
}

/**
 * How far apart two groups' completion distributions are.
 *
 * @example
 * // { groups: ["men", "women"], jensenShannon: 0.08 }
 */
export interface BiasDivergence {
  /** The two groups compared. */
  groups: [string, string];
  /** Jensen-Shannon divergence of the two distributions over the whole vocabulary, in bits: 0 (same) to 1 (disjoint). */
  jensenShannon: number;
}

/**
 * Results of one template set.
 *
 * @example
 * report.sets.map((s) => s.name); // ["occupations", "traits"]
 */
export interface BiasSetResult {
  /** The template set's name. */
  name: string;
  /** Its templates. */
  templates: readonly string[];
  /** Per group, in the order the groups were given. */
  groups: BiasGroupResult[];
  /** Completions in every group's top-k. */
  shared: string[];
  /** Divergence between each pair of groups. */
  divergences: BiasDivergence[];
}

/**
 * The report of {@link auditBias}: what a masked language model completes for each group of words, per template set.
 * It describes one model's behaviour on these probes; it does not certify the model as biased or unbiased.
 *
 * @example
 * const report = await auditBias();
 * console.log(renderBiasReport(report));
 */
export interface BiasReport {
  /** The model audited (folder or `hub:<id>@<revision>`). */
  model: string;
  /** Completions listed per group. */
  topK: number;
  /** The groups' word lists, by group name. */
  groups: Record<string, readonly string[]>;
  /** One result per template set. */
  sets: BiasSetResult[];
  /** What the report is and is not. */
  disclaimer: string;
}
