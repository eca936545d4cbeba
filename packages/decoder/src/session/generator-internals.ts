import type { LoadedModel } from "@proj/core";
import type { GenerationEngine, PrefixCache } from "@proj/core/internal";
import type { Generator } from "../generate/types.js";

/** What a chat session needs of a local generator, beyond its public calls. */
export interface GeneratorInternals {
  /** The loaded model. */
  model: LoadedModel;
  /** Its runner and continuous batcher. */
  engine: GenerationEngine;
  /** The prefix cache its batcher shares (absent when created with `prefixCache: false`). */
  prefixCache: PrefixCache | undefined;
}

/** Where a local generator keeps its {@link GeneratorInternals}; `Symbol.for`, so ESM and CJS copies agree. */
const INTERNALS = Symbol.for("@proj/decoder.generator-internals");

/**
 * Attaches the internals to a local generator, as a hidden (non-enumerable) property.
 *
 * @example
 * return withInternals(generator, { model: loaded, engine, prefixCache });
 */
export function withInternals<G extends Generator>(generator: G, internals: GeneratorInternals): G {
  Object.defineProperty(generator, INTERNALS, { value: internals, enumerable: false });
  return generator;
}

/**
 * A generator's internals: present on a local generator, absent on a remote one.
 *
 * @example
 * const local = internalsOf(generator); // undefined for createRemoteGenerator()
 */
export function internalsOf(generator: Generator): GeneratorInternals | undefined {
  return (generator as Generator & { [INTERNALS]?: GeneratorInternals })[INTERNALS];
}
