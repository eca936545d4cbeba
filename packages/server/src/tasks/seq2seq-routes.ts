import type { GenerationResult } from "@proj/core";
import type { Seq2SeqCallOptions, Summarizer, Translator } from "@proj/seq2seq";
import type { FastifyInstance } from "fastify";
import type { BodyReader } from "../openai/body-reader.js";
import type { ServerContext } from "../server/context.js";
import { postTask, readInputs, runTask } from "./run-task.js";

/** The decoding fields of {@link readDecoding}. */
const DECODING_FIELDS = ["max_tokens", "min_tokens", "num_beams"] as const;

/** Decoding fields the seq2seq endpoints read: `max_tokens`, `min_tokens`, `num_beams`. */
function readDecoding(body: BodyReader): Seq2SeqCallOptions {
  const maxTokens = body.number("max_tokens", { min: 1, integer: true });
  const minTokens = body.number("min_tokens", { min: 0, integer: true });
  const numBeams = body.number("num_beams", { min: 1, max: 16, integer: true });
  return {
    ...(maxTokens !== undefined ? { maxNewTokens: maxTokens } : {}),
    ...(minTokens !== undefined ? { minNewTokens: minTokens } : {}),
    ...(numBeams !== undefined ? { numBeams } : {}),
  };
}

function usageOf(results: readonly GenerationResult[]): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const metrics = results[0]?.metrics;
  const prompt = metrics?.promptTokens ?? 0;
  const completion = metrics?.generatedTokens ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

/**
 * The encoder-decoder task endpoints, JSON in and out, with the OpenAI error shape, each also under the task's
 * other names in the chooser (`/v1/translation`, `/v1/summarization`); a field an endpoint does not know is a 400
 * naming the nearest one:
 * - `POST /v1/translate` `{ input, source_lang?, target_lang?, max_tokens?, num_beams? }` -> `{ data: [{ index, text, source_lang, target_lang, finish_reason }], usage }`
 * - `POST /v1/summarize` `{ input, max_tokens?, min_tokens?, num_beams? }` -> `{ data: [{ index, text, chunks, finish_reason }], usage }`
 *
 * @example
 * registerSeq2SeqRoutes(app, context);
 * // curl -d '{"input":"Hello","target_lang":"de"}' -H 'content-type: application/json' localhost:8000/v1/translate
 */
export function registerSeq2SeqRoutes(app: FastifyInstance, context: ServerContext): void {
  postTask(app, context, "translation", ["input", "source_lang", "target_lang", ...DECODING_FIELDS], async (body, reply) => {
    const { id, handle } = context.models.resolve<Translator>("translate", body.raw("model"));
    const texts = readInputs(body);
    const from = body.string("source_lang");
    const to = body.string("target_lang");
    const decoding = readDecoding(body);
    const results = await runTask(context, reply, (signal) =>
      handle.translate(texts, { ...decoding, signal, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }),
    );
    return {
      object: "list",
      model: id,
      data: results.map((r, index) => ({
        index,
        text: r.text,
        source_lang: r.from ?? null,
        target_lang: r.to ?? null,
        finish_reason: r.finishReason,
      })),
      usage: usageOf(results),
    };
  });

  postTask(app, context, "summarization", ["input", ...DECODING_FIELDS], async (body, reply) => {
    const { id, handle } = context.models.resolve<Summarizer>("summarize", body.raw("model"));
    const texts = readInputs(body);
    const decoding = readDecoding(body);
    const results = await runTask(context, reply, (signal) => handle.summarize(texts, { ...decoding, signal }));
    return {
      object: "list",
      model: id,
      data: results.map((r, index) => ({ index, text: r.text, chunks: r.chunks, finish_reason: r.finishReason })),
      usage: usageOf(results),
    };
  });
}
