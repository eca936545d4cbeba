import type { Embedder } from "@proj/encoder";
import type { FastifyInstance } from "fastify";
import { badRequest } from "../errors/http-error.js";
import type { ServerContext } from "../server/context.js";
import { countTokens } from "../metrics/count-tokens.js";
import { countRequest, runTask } from "../tasks/run-task.js";
import { BodyReader } from "./body-reader.js";

/** Most texts one `/v1/embeddings` request may send, as OpenAI allows. */
const MAX_EMBEDDING_INPUTS = 2048;

/**
 * An embedding as OpenAI's `encoding_format: "base64"` sends it: the float32 values, little-endian, in base64.
 *
 * @example
 * toBase64(new Float32Array([1])); // "AACAPw=="
 */
export function toBase64(vector: Float32Array): string {
  const bytes = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, i) => {
    bytes.setFloat32(i * 4, value, true);
  });
  return Buffer.from(bytes.buffer).toString("base64");
}

/**
 * `POST /v1/embeddings` in OpenAI's format, by the feature-extraction model: `{ model, input, encoding_format?,
 * dimensions? }` (`input` a string or up to 2048 strings; `encoding_format` `"float"` or `"base64"`) ->
 * `{ object: "list", data: [{ object: "embedding", index, embedding }], model, usage: { prompt_tokens, total_tokens } }`.
 * Each vector is `embed()`'s with the model's defaults (`dimensions` keeps the first values, Matryoshka style);
 * `usage` counts the tokens of the inputs, special tokens included (what the task metrics count too). As on the other OpenAI endpoints, fields it
 * does not know (`user`) are ignored; token-id input is a 400.
 *
 * @example
 * registerEmbeddings(app, context);
 * // new OpenAI({ baseURL }).embeddings.create({ model: "all-MiniLM-L6-v2", input: ["a dog runs"] })
 */
export function registerEmbeddings(app: FastifyInstance, context: ServerContext): void {
  app.post("/v1/embeddings", async (request, reply) => {
    countRequest(context, reply, "feature-extraction");
    const body = new BodyReader(request.body);
    const { id, handle } = context.models.resolve<Embedder>("embed", body.raw("model"));
    const texts = readInput(body);
    const format = body.string("encoding_format") ?? "float";
    if (format !== "float" && format !== "base64")
      throw badRequest(`"encoding_format" must be "float" or "base64", got "${format}"`, "encoding_format");
    const dimensions = body.number("dimensions", { min: 1, integer: true });
    const counting = countTokens(handle.model.tokenizer, texts);
    const vectors = await runTask(
      context,
      reply,
      (signal) => handle.embed(texts, { signal, ...(dimensions !== undefined ? { dimensions } : {}) }),
      { task: "feature-extraction", inputs: texts.length, tokens: () => counting },
    );
    const tokens = await counting;
    return {
      object: "list",
      data: vectors.map((vector, index) => ({
        object: "embedding",
        index,
        embedding: format === "base64" ? toBase64(vector) : Array.from(vector),
      })),
      model: id,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    };
  });
}

function readInput(body: BodyReader): string[] {
  const raw = body.raw("input");
  if (raw === undefined) throw badRequest('Missing required field "input"', "input", "missing_required_parameter");
  if (typeof raw === "number" || (Array.isArray(raw) && raw.some((p) => typeof p === "number" || Array.isArray(p)))) {
    throw badRequest('"input" as token ids is not supported; send text', "input", "unsupported_parameter");
  }
  const texts = body.strings("input", MAX_EMBEDDING_INPUTS) ?? [];
  if (texts.length === 0 || texts.some((t) => t.trim() === "")) throw badRequest('"input" must be non-empty text', "input");
  return texts;
}
