import { InputError, type LoadModelOptions } from "@proj/core";
import { HandleCache, sessionOptionsKey } from "@proj/core/internal";
import { createGenerator, type Generator } from "../generate/generator.js";
import type { GeneratorModel } from "../generate/options.js";

const cache = new HandleCache<Generator>();

/**
 * The generator for a model option: the handle itself, or a cached handle for a path or Hub id
 * (loaded once; concurrent first calls share the load).
 *
 * @example
 * const generator = await generatorFor(options.model ?? DEFAULT_GENERATION_MODEL, options.load);
 */
export async function generatorFor(model: GeneratorModel, load: LoadModelOptions = {}, signal?: AbortSignal): Promise<Generator> {
  if (typeof model !== "string") {
    if (model === null || typeof model !== "object" || typeof (model as Partial<Generator>).generate !== "function") {
      throw new InputError(`model must be a folder path, a Hub id or a Generator, got ${model === null ? "null" : typeof model}`, {
        hint: 'pass a folder such as "./models/gpt2", a Hub id, or a handle from createGenerator()',
      });
    }
    return model;
  }
  const key = JSON.stringify([model, sessionOptionsKey(load), load.dtype ?? "auto", load.hub?.revision ?? "main"]);
  return cache.get(key, () => createGenerator(model, load), signal);
}

/**
 * Disposes every generator the one-shot functions cached.
 *
 * @example
 * await disposeCachedGenerators();
 */
export function disposeCachedGenerators(): Promise<void> {
  return cache.clear();
}
