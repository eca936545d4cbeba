import { type ModelConfig, ModelFormatError } from "@proj/core";

/**
 * The activation a cross-encoder's config.json asks for, as sentence-transformers' CrossEncoder reads it:
 * `sentence_transformers.activation_fn` (v4) or `sbert_ce_default_activation_function` (v2-v3) naming a torch
 * Sigmoid or Identity; without either, sigmoid for a one-label head.
 *
 * @example
 * configActivation(model.config, label); // "sigmoid"
 * @internal
 */
export function configActivation(config: ModelConfig, label: string): "sigmoid" | "none" {
  const st = config.raw.sentence_transformers;
  const named =
    st !== null && typeof st === "object" && typeof (st as Record<string, unknown>).activation_fn === "string"
      ? ((st as Record<string, unknown>).activation_fn as string)
      : typeof config.raw.sbert_ce_default_activation_function === "string"
        ? config.raw.sbert_ce_default_activation_function
        : undefined;
  if (named === undefined) return "sigmoid";
  if (/\.Sigmoid$/.test(named)) return "sigmoid";
  if (/\.Identity$/.test(named)) return "none";
  throw new ModelFormatError(`${label}/config.json names the activation ${named}, which rerank() does not reproduce`, {
    hint: 'pass { activation: "sigmoid" } or { activation: "none" }',
  });
}
