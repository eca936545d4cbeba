import type { GenerationConfig } from "@proj/core";
import type { Seq2SeqEngine } from "../shared/engine.js";

/** What a summarizer holds. @internal */
export interface SummarizationModel {
  /** The handle's engine (model, runner, running batch). */
  engine: Seq2SeqEngine;
  /** The encoder's window, in tokens. */
  window: number;
  /** T5's `"summarize: "`, or `""`. */
  prefix: string;
  /** generation_config.json with `task_specific_params.summarization` over it. */
  generationConfig: GenerationConfig;
}
