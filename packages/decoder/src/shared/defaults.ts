import { DEFAULT_MODELS, defaultModelOf } from "@proj/chooser";
import { defaultModelPath } from "@proj/models";

/**
 * Hub model used by {@link generate} and {@link stream} when no `model` is given and the embedded caption model of
 * `@proj/models` is not installed; also the general-English model to pass as `model` for text beyond image captions.
 * From the chooser's task table.
 */
export const DEFAULT_GENERATION_MODEL: string = DEFAULT_MODELS["text-generation"];

/**
 * Hub model used by {@link chat} when no `model` is given (it has a chat template; no embedded model has one).
 * From the chooser's task table.
 */
export const DEFAULT_CHAT_MODEL: string = DEFAULT_MODELS.chat;

/**
 * The model {@link generate} and {@link stream} load when no `model` is given, by the chooser's rule
 * (`defaultModelOf("text-generation")`): the small caption language model embedded in `@proj/models` (trained
 * here, works offline) when installed, else {@link DEFAULT_GENERATION_MODEL}.
 *
 * @example
 * defaultGenerationModel(); // ".../node_modules/@proj/models/models/generation"
 */
export function defaultGenerationModel(): string {
  return defaultModelPath(defaultModelOf("text-generation"));
}
