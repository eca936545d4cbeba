import type { Classifier, Embedder, Reranker } from "@proj/encoder";
import type { FastifyInstance, FastifyReply } from "fastify";
import { badRequest } from "../errors/http-error.js";
import { countTokens } from "../metrics/count-tokens.js";
import { BodyReader } from "../openai/body-reader.js";
import type { ServerContext } from "../server/context.js";
import { countRequest, MAX_INPUTS, runTask } from "../tasks/run-task.js";
import { type ModelTask, SHORT_NAMES, TEI_FORMAT_ROUTES } from "../tasks/task-names.js";
import { emptyBatch, toTeiError } from "./tei-error.js";
import { teiInfo } from "./tei-info.js";

/** The fields of each TEI route's body (TEI's `EmbedRequest`, `RerankRequest`, `PredictRequest`). */
const FIELDS: { readonly [R in keyof typeof TEI_FORMAT_ROUTES]: readonly string[] } = {
  embed: ["inputs", "normalize", "truncate", "truncation_direction", "prompt_name", "dimensions"],
  rerank: ["query", "texts", "truncate", "truncation_direction", "raw_scores", "return_text"],
  predict: ["inputs", "truncate", "truncation_direction", "raw_scores"],
};

/** A batch over the limit, in TEI's words. */
function checkBatchSize(count: number, field: string): void {
  if (count > MAX_INPUTS) throw badRequest(`batch size ${count} > maximum allowed batch size ${MAX_INPUTS}`, field);
}

/** `truncation_direction`: TEI's `"right"` (cut the end) is what the models here do; `"left"` is refused. */
function checkDirection(body: BodyReader): void {
  const direction = body.string("truncation_direction");
  if (direction === undefined || direction === "right" || direction === "Right") return;
  const why =
    direction === "left" || direction === "Left"
      ? '"left" is not supported: this server keeps the first tokens of a long text'
      : `must be "right" or "left", got "${direction}"`;
  throw badRequest(`"truncation_direction" ${why}; send "right" or leave it out`, "truncation_direction");
}

/** `truncate` on a route whose model always cuts a long input: `false` cannot be honoured, so it is refused. */
function checkAlwaysTruncates(body: BodyReader, what: string): void {
  if (body.boolean("truncate") === false) {
    throw badRequest(
      `"truncate": false is not supported: this server always cuts ${what} longer than the model; send true or leave it out`,
      "truncate",
    );
  }
}

/** `/embed`'s `inputs`: a text or a list of texts (token ids are refused). */
function embedInputs(body: BodyReader): string[] {
  const raw = body.raw("inputs");
  if (raw === undefined) throw badRequest('Missing required field "inputs"', "inputs", "missing_required_parameter");
  if (typeof raw === "number" || (Array.isArray(raw) && raw.some((p) => typeof p === "number" || Array.isArray(p)))) {
    throw badRequest('"inputs" as token ids is not supported; send text', "inputs", "unsupported_parameter");
  }
  const texts = body.strings("inputs", Number.MAX_SAFE_INTEGER) ?? [];
  if (texts.length === 0 || texts.includes("")) throw emptyBatch("inputs");
  checkBatchSize(texts.length, "inputs");
  return texts;
}

/**
 * `/predict`'s `inputs`, as TEI reads them: a text, a one-item list `[text]` (one answer), or a batch `[[text], ...]`
 * (one answer per item). A pair `[a, b]` is refused: the classifiers here read one text.
 */
function predictInputs(body: BodyReader): { texts: string[]; batch: boolean } {
  const raw = body.raw("inputs");
  if (raw === undefined) throw badRequest('Missing required field "inputs"', "inputs", "missing_required_parameter");
  const pair = badRequest('"inputs" holds a text pair [a, b], which this server\'s classifier does not read; send [[text], ...]', "inputs");
  const shape = badRequest('"inputs" must be a text, [text], or a batch [[text], ...]', "inputs", "invalid_type");
  let texts: unknown[];
  let batch = false;
  if (typeof raw === "string") texts = [raw];
  else if (!Array.isArray(raw)) throw shape;
  else if (raw.length === 0) throw emptyBatch("inputs");
  else if (!Array.isArray(raw[0])) {
    if (raw.length === 2) throw pair;
    if (raw.length > 2) throw shape;
    texts = raw;
  } else {
    batch = true;
    texts = raw.map((item: unknown) => {
      if (!Array.isArray(item) || item.length === 0 || item.length > 2) throw shape;
      if (item.length === 2) throw pair;
      return item[0];
    });
  }
  if (texts.some((t) => typeof t !== "string")) throw shape;
  if (texts.includes("")) throw emptyBatch("inputs");
  checkBatchSize(texts.length, "inputs");
  return { texts: texts as string[], batch };
}

/**
 * Text Embeddings Inference's wire format over this server's models, so a TEI client (`createRemoteEmbedder({ kind:
 * "tei" })`, LangChain's or LlamaIndex's TEI embeddings) can point at it. The routes and their models come from
 * `TEI_FORMAT_ROUTES`; bodies, answers and errors are TEI's (`router/src/http/types.rs`):
 * - `POST /embed` `{ inputs: string | string[], normalize? = true, truncate? = false, truncation_direction?,
 *   prompt_name?, dimensions? }` -> `number[][]`, by the feature-extraction model
 * - `POST /rerank` `{ query, texts, raw_scores? = false, return_text? = false, truncate?, truncation_direction? }` ->
 *   `[{ index, text?, score }]` best first, by the text-ranking model (sigmoid scores; logits with `raw_scores`)
 * - `POST /predict` `{ inputs: string | [string] | [[string], ...], raw_scores? = false, truncate?,
 *   truncation_direction? }` -> `[{ label, score }]` (every label, best first), or one such list per batch item, by
 *   the text-classification model (its scores as `classify()` gives them; logits with `raw_scores`)
 * - `GET /info` TEI's `Info`, see `teiInfo`
 *
 * Errors are TEI's `{ error, error_type }` with its statuses (see `toTeiError`). Where this server cannot do what a
 * field asks (`truncation_direction: "left"`, a text pair, `truncate: false` on `/rerank` and `/predict`, whose
 * models always cut long inputs, token ids) it answers 422 rather than ignore it, and a field TEI does not define is
 * a 422 naming the nearest one. The body has no `model`: each route answers with its task's one model (a 424
 * `Backend` when none is served, as a TEI server does for a task its model lacks).
 *
 * @example
 * registerTeiRoutes(app, context);
 * // createRemoteEmbedder({ kind: "tei", baseURL: "http://127.0.0.1:8000" }).embed(["a dog runs"])
 */
export function registerTeiRoutes(app: FastifyInstance, context: ServerContext): void {
  // One scope, so that its error handler answers in TEI's shape without changing any other route's.
  void app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      const tei = toTeiError(error, { closing: context.closing });
      if (tei.serverFault) request.log.error({ err: error }, tei.body.error);
      return reply.code(tei.status).headers(tei.headers).send(tei.body);
    });

    const post = <H>(
      route: keyof typeof TEI_FORMAT_ROUTES,
      handler: (body: BodyReader, handle: H, task: ModelTask, reply: FastifyReply) => Promise<unknown>,
    ): void => {
      const task = TEI_FORMAT_ROUTES[route];
      scope.post(`/${route}`, async (request, reply) => {
        countRequest(context, reply, task);
        const body = new BodyReader(request.body);
        body.only(FIELDS[route], `POST /${route}`);
        const { handle } = context.models.resolve<H>(SHORT_NAMES[task], undefined);
        return handler(body, handle, task, reply);
      });
    };

    post<Embedder>("embed", async (body, handle, task, reply) => {
      const texts = embedInputs(body);
      const normalize = body.boolean("normalize") ?? true;
      const truncate = body.boolean("truncate") ?? false;
      checkDirection(body);
      const promptName = body.string("prompt_name");
      const dimensions = body.number("dimensions", { min: 1, integer: true });
      const vectors = await runTask(
        context,
        reply,
        (signal) =>
          handle.embed(texts, {
            signal,
            normalize,
            truncation: truncate ? "truncate" : "error",
            ...(promptName !== undefined ? { promptName } : {}),
            ...(dimensions !== undefined ? { dimensions } : {}),
          }),
        { task, inputs: texts.length, tokens: () => countTokens(handle.model.tokenizer, texts) },
      );
      return vectors.map((v) => Array.from(v));
    });

    post<Reranker>("rerank", async (body, handle, task, reply) => {
      const query = body.string("query", true);
      const texts = body.strings("texts", Number.MAX_SAFE_INTEGER);
      if (texts === undefined) throw badRequest('Missing required field "texts"', "texts", "missing_required_parameter");
      if (texts.length === 0 || texts.includes("")) throw emptyBatch("texts");
      checkBatchSize(texts.length, "texts");
      checkAlwaysTruncates(body, "a query and text");
      checkDirection(body);
      const raw = body.boolean("raw_scores") ?? false;
      const returnText = body.boolean("return_text") ?? false;
      const ranks = await runTask(
        context,
        reply,
        (signal) => handle.rerank(query, texts, { signal, activation: raw ? "none" : "sigmoid" }),
        {
          task,
          inputs: texts.length,
          tokens: () =>
            countTokens(
              handle.model.tokenizer,
              texts.map(() => query),
              texts,
            ),
        },
      );
      return ranks.map((r) => ({ index: r.index, ...(returnText ? { text: texts[r.index] as string } : {}), score: r.score }));
    });

    post<Classifier>("predict", async (body, handle, task, reply) => {
      const { texts, batch } = predictInputs(body);
      checkAlwaysTruncates(body, "a text");
      checkDirection(body);
      const raw = body.boolean("raw_scores") ?? false;
      const labels = await runTask(
        context,
        reply,
        (signal) => handle.classify(texts, { signal, topK: null, ...(raw ? { functionToApply: "none" as const } : {}) }),
        { task, inputs: texts.length, tokens: () => countTokens(handle.model.tokenizer, texts) },
      );
      return batch ? labels : labels[0];
    });

    scope.get("/info", async () => {
      const info = teiInfo(context);
      if (info === undefined) {
        throw badRequest(
          "No embedding, reranking or classification model is served here; GET /v1/models lists what is",
          null,
          "model_not_found",
        );
      }
      return info;
    });
  });
}
