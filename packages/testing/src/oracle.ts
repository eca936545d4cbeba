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

/**
 * The generated ids of one row of a transformers.js `generate()` output: without the first `skip` ids (the prompt,
 * or the decoder start token) and cut before the first `eos`.
 *
 * @example
 * const out = await model.generate({ ...inputs, max_new_tokens: 20 });
 * generatedIds(out.tolist()[0], promptLength, eosId); // [318, 257, ...]
 */
export function generatedIds(row: readonly bigint[], skip: number, eos: number): number[] {
  const out = row.slice(skip).map(Number);
  const end = out.indexOf(eos);
  return end < 0 ? out : out.slice(0, end);
}

/** The weight format the embedded models ship (int8 `*_quantized.onnx`), as transformers.js names it. */
export const EMBEDDED_DTYPE = "q8";
