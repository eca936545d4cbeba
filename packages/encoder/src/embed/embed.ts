import type { TaskOptions } from "@proj/core";
import { optionNames, TASK_OPTION_NAMES } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { checkTaskOptions } from "../shared/options.js";
import { checkEmbedTexts, createEmbedder, type TextEmbedder } from "./embedder.js";
import { EMBED_CALL_OPTION_NAMES, type EmbedCallOptions, type Embedding, type EmbeddingOf, type Precision } from "./types.js";

/**
 * Options of {@link embed}: the model (folder, Hub id, an `Embedder`, or a remote embedder from
 * `createRemoteEmbedder`; when omitted, the embedded English–German model of `@proj/models`, else all-MiniLM-L6-v2), how to load it (`load`), a `signal`, and the call options.
 *
 * @example
 * const options: EmbedOptions = { model: "Xenova/multilingual-e5-small", promptName: "query", load: { threads: 2 } };
 */
export interface EmbedOptions<P extends Precision = Precision> extends TaskOptions<TextEmbedder>, EmbedCallOptions<P> {}

/**
 * The option names of {@link EmbedOptions}: anything else is refused with an `InputError`.
 *
 * @example
 * checkTaskOptions(options, "embed", EMBED_OPTION_NAMES);
 */
export const EMBED_OPTION_NAMES = optionNames<EmbedOptions>()([...TASK_OPTION_NAMES, ...EMBED_CALL_OPTION_NAMES]);

const embedders = taskCache<TextEmbedder>();

/**
 * Embeds texts for semantic search, clustering or RAG: one vector per text, a `Float32Array` (or an `Int8Array` /
 * `Uint8Array` for a quantized {@link Precision}), in input order; `[]` for `[]`. Pooling, normalization and prompts
 * come from the model's sentence-transformers files unless the options say otherwise. A text longer than the model
 * is refused unless `truncation` says to truncate it or to average windows over it. The model is loaded once and
 * cached for later calls with the same model and `load` options.
 *
 * @example
 * const [query] = await embed(["how fast do dogs run?"], { model: "Xenova/multilingual-e5-small", promptName: "query" });
 * const docs = await embed(passages, { model: "Xenova/multilingual-e5-small", promptName: "passage" });
 * semanticSearch([query], docs, { topK: 3 });
 */
export async function embed<P extends Precision = "float32">(text: string, options?: EmbedOptions<P>): Promise<EmbeddingOf<P>>;
export async function embed<P extends Precision = "float32">(texts: string[], options?: EmbedOptions<P>): Promise<Array<EmbeddingOf<P>>>;
export async function embed(input: string | string[], options?: EmbedOptions): Promise<Embedding | Embedding[]> {
  checkEmbedTexts(input);
  const { model, load, ...call } = checkTaskOptions(options, "embed", EMBED_OPTION_NAMES);
  const embedder = await resolveHandle({ model, load, signal: call.signal }, "embed", "feature-extraction", embedders, createEmbedder);
  return embedder.embed(input as string, call);
}
