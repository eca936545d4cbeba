import { type GenerationConfig, type LoadedModel, parseGenerationConfig } from "@proj/core";

/** A task's settings from the model's config: its generation defaults and the text prefix (T5). @internal */
export interface TaskSettings {
  /** `generation_config.json` with the task's `task_specific_params` over it. */
  generationConfig: GenerationConfig;
  /** Text put before every input, e.g. `"summarize: "`; `""` when the model needs none. */
  prefix: string;
}

/**
 * Reads `task_specific_params[task]` (`"summarization"`, `"translation_en_to_de"` ...), as the Hugging Face
 * pipelines do: its `prefix` goes before each input, and its generation fields (`num_beams`, `max_length`,
 * `min_length`, `length_penalty`, `no_repeat_ngram_size` ...) override `generation_config.json`.
 * Call options override both.
 *
 * @internal
 */
export function taskSettings(model: LoadedModel, task: string | undefined): TaskSettings {
  const params = task === undefined ? undefined : model.config.taskSpecificParams[task];
  if (!params) return { generationConfig: model.generationConfig, prefix: "" };
  const prefix = typeof params.prefix === "string" ? params.prefix : "";
  return { generationConfig: { ...model.generationConfig, ...parseGenerationConfig(params) }, prefix };
}
