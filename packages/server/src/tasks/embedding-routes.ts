import { cosineSimilarity, type Embedder, type Reranker, type ZeroShotClassifier } from "@proj/encoder";
import type { FastifyInstance } from "fastify";
import { badRequest } from "../errors/http-error.js";
import type { BodyReader } from "../openai/body-reader.js";
import type { ServerContext } from "../server/context.js";
import { countTokens } from "../metrics/count-tokens.js";
import { registerTeiRoutes } from "../tei/tei-routes.js";
import { postTask, readInputs, runTask } from "./run-task.js";

/** A required string field that must hold more than whitespace. */
function text(body: BodyReader, name: string): string {
  const value = body.string(name, true);
  if (value.trim() === "") throw badRequest(`"${name}" must be non-empty text`, name);
  return value;
}

/**
 * The embedding, similarity, reranking and zero-shot endpoints, JSON in and out, with the OpenAI error shape, each
 * also under the task's other names in the chooser; a field an endpoint does not know is a 400 naming the nearest one:
 * - `POST /v1/embed` (`/v1/feature-extraction`) `{ input, normalize?, dimensions?, prompt_name?, prompt?, truncate? }`
 *   -> `{ model, embeddings: number[][] }`, one float32 vector per text as `embed()` gives it; `truncate: true`
 *   embeds the first tokens of a text longer than the model, which is otherwise a 400 (`/v1/embeddings` is
 *   OpenAI's format instead, see `registerEmbeddings`)
 * - `POST /v1/sentence-similarity` `{ source_sentence, sentences }` -> `{ model, similarities: number[] }`: the
 *   cosine similarity of each sentence's embedding to the source sentence's, by the feature-extraction model
 *   (the Hub's sentence-similarity task, its `inputs` object as the body)
 * - `POST /v1/rerank` (`/v1/text-ranking`) in Cohere's and Jina's format `{ query, documents, top_n?,
 *   return_documents? }` -> `{ model, results: [{ index, relevance_score, document?: { text } }] }`, best first
 * - `POST /v1/zero-shot` (`/v1/zero-shot-classification`) `{ input, candidate_labels, hypothesis_template?,
 *   multi_label? }` -> `{ model, sequence, labels, scores }` (one text; labels best first), as the Hub's pipeline
 *
 * The same models also answer in Text Embeddings Inference's wire format (`POST /embed`, `/rerank`, `/predict`,
 * `GET /info`, see `registerTeiRoutes`), registered here with them.
 *
 * @example
 * registerEmbeddingRoutes(app, context);
 * // curl -d '{"query":"dogs","documents":["cats sleep","dogs run"]}' -H 'content-type: application/json' localhost:8000/v1/rerank
 */
export function registerEmbeddingRoutes(app: FastifyInstance, context: ServerContext): void {
  const embedFields = ["input", "normalize", "dimensions", "prompt_name", "prompt", "truncate"];
  postTask(app, context, "feature-extraction", embedFields, async (body, reply) => {
    const { id, handle } = context.models.resolve<Embedder>("embed", body.raw("model"));
    const texts = readInputs(body);
    const normalize = body.boolean("normalize");
    const dimensions = body.number("dimensions", { min: 1, integer: true });
    const promptName = body.string("prompt_name");
    const prompt = body.string("prompt");
    const truncate = body.boolean("truncate");
    const vectors = await runTask(
      context,
      reply,
      (signal) =>
        handle.embed(texts, {
          signal,
          ...(normalize !== undefined ? { normalize } : {}),
          ...(dimensions !== undefined ? { dimensions } : {}),
          ...(promptName !== undefined ? { promptName } : {}),
          ...(prompt !== undefined ? { prompt } : {}),
          ...(truncate !== undefined ? { truncation: truncate ? "truncate" : "error" } : {}),
        }),
      { task: "feature-extraction", inputs: texts.length, tokens: () => countTokens(handle.model.tokenizer, texts) },
    );
    return { model: id, embeddings: vectors.map((v) => Array.from(v)) };
  });

  postTask(app, context, "sentence-similarity", ["source_sentence", "sentences"], async (body, reply) => {
    const { id, handle } = context.models.resolve<Embedder>("embed", body.raw("model"));
    const source = text(body, "source_sentence");
    const sentences = readInputs(body, "sentences");
    const all = [source, ...sentences];
    const [first, ...rest] = await runTask(context, reply, (signal) => handle.embed(all, { signal }), {
      task: "sentence-similarity",
      inputs: all.length,
      tokens: () => countTokens(handle.model.tokenizer, all),
    });
    return { model: id, similarities: rest.map((v) => cosineSimilarity(first as Float32Array, v)) };
  });

  postTask(app, context, "text-ranking", ["query", "documents", "top_n", "return_documents"], async (body, reply) => {
    const { id, handle } = context.models.resolve<Reranker>("rerank", body.raw("model"));
    const query = text(body, "query");
    const documents = readInputs(body, "documents");
    const topN = body.number("top_n", { min: 1, integer: true });
    const returnDocuments = body.boolean("return_documents") ?? false;
    const ranked = await runTask(
      context,
      reply,
      (signal) => handle.rerank(query, documents, { signal, ...(topN !== undefined ? { topK: topN } : {}) }),
      {
        task: "text-ranking",
        inputs: documents.length,
        tokens: () =>
          countTokens(
            handle.model.tokenizer,
            documents.map(() => query),
            documents,
          ),
      },
    );
    return {
      model: id,
      results: ranked.map((r) => ({
        index: r.index,
        relevance_score: r.score,
        ...(returnDocuments ? { document: { text: documents[r.index] as string } } : {}),
      })),
    };
  });

  const zeroShotFields = ["input", "candidate_labels", "hypothesis_template", "multi_label"];
  postTask(app, context, "zero-shot-classification", zeroShotFields, async (body, reply) => {
    const { id, handle } = context.models.resolve<ZeroShotClassifier>("zero-shot", body.raw("model"));
    const input = text(body, "input");
    const labels = readInputs(body, "candidate_labels");
    const hypothesisTemplate = body.string("hypothesis_template");
    const multiLabel = body.boolean("multi_label");
    const result = await runTask(
      context,
      reply,
      (signal) =>
        handle.classify(input, labels, {
          signal,
          ...(hypothesisTemplate !== undefined ? { hypothesisTemplate } : {}),
          ...(multiLabel !== undefined ? { multiLabel } : {}),
        }),
      // One pair per label (the text and a hypothesis); the hypotheses are built inside the handle, so tokens are not counted.
      { task: "zero-shot-classification", inputs: labels.length },
    );
    return { model: id, sequence: result.sequence, labels: result.labels, scores: result.scores };
  });

  registerTeiRoutes(app, context);
}
