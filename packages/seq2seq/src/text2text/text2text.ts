import { type GenerationResult, TextStream } from "@proj/core";
import { chainTokenCallbacks, checkOptions, type HandleCache } from "@proj/core/internal";
import { resolveHandle, taskCache } from "../shared/handles.js";
import { openHandle } from "../shared/open-handle.js";
import { SEQ2SEQ_CALL_OPTION_NAMES, TEXT2TEXT_OPTION_NAMES } from "../shared/option-names.js";
import type { Seq2SeqCallOptions, Seq2SeqHandleOptions } from "../shared/options.js";
import { TEXT2TEXT_TASK } from "../shared/tasks.js";
import { encoderWindow } from "../shared/window.js";
import { text2textRows } from "./run-text2text.js";
import type { Text2Text, Text2TextOptions } from "./types.js";

/**
 * Hub model {@link text2text} uses when no `model` is given: Flan-T5-small, instruction-tuned T5 that answers short
 * instructions and questions about a given context.
 *
 * @example
 * await text2text("Is the sky blue? Answer yes or no."); // uses DEFAULT_TEXT2TEXT_MODEL
 */
export const DEFAULT_TEXT2TEXT_MODEL = "Xenova/flan-t5-small";

/**
 * Loads an encoder-decoder model once for text-to-text generation (the Hub's `text2text-generation`: Flan-T5, T5,
 * BART ...): the input text is encoded as it is (no task prefix added) and the output decoded with the model's
 * generation config under the call's options. Refuses other model families.
 *
 * @example
 * const t2t = await createText2Text("Xenova/flan-t5-small", { load: { threads: 2 } });
 * const { text } = await t2t.generate("Answer the question using the context.\n\nContext: Ada wrote it.\n\nQuestion: Who wrote it?");
 * await t2t.dispose();
 */
export async function createText2Text(model?: string, options?: Seq2SeqHandleOptions): Promise<Text2Text> {
  const handle = await openHandle(
    "createText2Text",
    model ?? DEFAULT_TEXT2TEXT_MODEL,
    options,
    TEXT2TEXT_TASK,
    "text-to-text model",
    encoderWindow,
  );
  const { loaded, engine, state: window, check } = handle;
  async function generate(text: string, options?: Seq2SeqCallOptions): Promise<GenerationResult>;
  async function generate(texts: string[], options?: Seq2SeqCallOptions): Promise<GenerationResult[]>;
  async function generate(input: string | string[], options?: Seq2SeqCallOptions): Promise<GenerationResult | GenerationResult[]> {
    check();
    const results = await text2textRows(engine, window, input, checkOptions(options, "text2text()", SEQ2SEQ_CALL_OPTION_NAMES));
    return Array.isArray(input) ? results : (results[0] as GenerationResult);
  }
  return {
    task: "text2text",
    model: loaded,
    maxInputTokens: window,
    get disposed() {
      return loaded.disposed;
    },
    generate,
    stream: (text, options) =>
      handle.stream(options, "text2textStream()", SEQ2SEQ_CALL_OPTION_NAMES, async (call) => {
        const [result] = await text2textRows(engine, window, text, call);
        return result as GenerationResult;
      }),
    batchStats: handle.batchStats,
    dispose: () => loaded.dispose(),
  };
}

const handles: HandleCache<Text2Text> = taskCache<Text2Text>();

function handleFor(options: Text2TextOptions): Promise<Text2Text> {
  return resolveHandle(
    options.model,
    options.load,
    "text2text",
    DEFAULT_TEXT2TEXT_MODEL,
    handles,
    (id, load) => createText2Text(id, { load }),
    options.signal,
  );
}

/**
 * Generates text from text with an encoder-decoder model (loaded once and cached; {@link DEFAULT_TEXT2TEXT_MODEL}
 * when `model` is omitted): instructions and questions for Flan-T5, any input a T5 or BART model was trained on.
 *
 * @example
 * const { text } = await text2text("Answer the question: what colour is the sky on a clear day?", { maxNewTokens: 8 });
 * const [a, b] = await text2text(["Translate to German: Hello", "Translate to French: Hello"]);
 */
export async function text2text(text: string, options?: Text2TextOptions): Promise<GenerationResult>;
export async function text2text(texts: string[], options?: Text2TextOptions): Promise<GenerationResult[]>;
export async function text2text(input: string | string[], options?: Text2TextOptions): Promise<GenerationResult | GenerationResult[]> {
  const checked = checkOptions(options, "text2text()", TEXT2TEXT_OPTION_NAMES);
  const handle = await handleFor(checked);
  const { model: _model, load: _load, ...call } = checked;
  return Array.isArray(input) ? handle.generate(input, call) : handle.generate(input, call);
}

/**
 * Streams the output for one input text: iterate for text deltas, await `.result` for the whole result.
 *
 * @example
 * for await (const { text } of text2textStream("Write a haiku about rain.", { maxNewTokens: 40 })) process.stdout.write(text);
 */
export function text2textStream(text: string, options?: Text2TextOptions): TextStream {
  const checked = checkOptions(options, "text2textStream()", TEXT2TEXT_OPTION_NAMES);
  const { model: _model, load: _load, ...call } = checked;
  return new TextStream(async (onToken) => {
    const handle = await handleFor(checked);
    return handle.generate(text, { ...call, onToken: chainTokenCallbacks(call.onToken, onToken) });
  });
}
