/**
 * The oracle: `@huggingface/transformers` (transformers.js), which no one here wrote, run on the same
 * model files with remote models disabled. Tests compare @proj's answers with its answers.
 */
type TransformersModule = typeof import("@huggingface/transformers");

let loaded: Promise<TransformersModule> | undefined;

/**
 * Loads transformers.js set for local folders only (no Hub access, no browser cache).
 *
 * @example
 * const oracle = await loadOracle();
 * const tokenizer = await oracle.AutoTokenizer.from_pretrained(fixture("gpt2"));
 */
export function loadOracle(): Promise<TransformersModule> {
  loaded ??= import("@huggingface/transformers").then((mod) => {
    mod.env.allowRemoteModels = false;
    mod.env.allowLocalModels = true;
    mod.env.localModelPath = "";
    mod.env.useBrowserCache = false;
    mod.env.useFSCache = false;
    return mod;
  });
  return loaded;
}
