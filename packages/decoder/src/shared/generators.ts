import type { LoadOptions } from "@proj/core";
import { checkLoadOptions, resolveTaskHandle, taskHandleCache } from "@proj/core/internal";
import { createGenerator } from "../generate/generator.js";
import type { Generator, GeneratorModel } from "../generate/types.js";

const cache = taskHandleCache<Generator>("decoder");

/**
 * The generator a one-shot call uses: the handle given as `model` (local or remote), or a cached one for a folder or
 * Hub id (the default when omitted), loaded once; concurrent first calls share the load. The cache key holds
 * everything that changes what is loaded (load options, Hub revision, cache folder, endpoint, offline).
 *
 * @example
 * const generator = await generatorFor("generate", options.model, defaultGenerationModel(), options.load, options.signal);
 * @internal
 */
export function generatorFor(
  fn: string,
  model: GeneratorModel | undefined,
  defaultModel: string,
  load: LoadOptions | undefined,
  signal: AbortSignal | undefined,
): Promise<Generator> {
  return resolveTaskHandle<Generator>({
    model,
    task: "generate",
    defaultModel,
    cache,
    load: checkLoadOptions(load, fn),
    create: (id, loadOptions) => createGenerator(id, { load: loadOptions }),
    createName: "createGenerator",
    signal,
  });
}
