import { InputError } from "@proj/core";
import type { Classifier, Embedder, Reranker } from "../../src/index.js";
import { type Loopback, type Reply, startLoopback, unknownFields } from "./loopback.js";

// A loopback server that speaks TEI's documented wire format (router/src/http/types.rs: EmbedRequest, RerankRequest,
// PredictRequest, Rank, Prediction, ErrorResponse; server.rs: its status codes), backed by local handles on the
// fixtures. It is stricter than TEI in one way: it refuses fields TEI does not define, so a misspelled field fails
// here instead of being ignored.
const FIELDS: Readonly<Record<string, readonly string[]>> = {
  "/embed": ["inputs", "truncate", "truncation_direction", "prompt_name", "normalize", "dimensions"],
  "/rerank": ["query", "texts", "truncate", "truncation_direction", "raw_scores", "return_text"],
  "/predict": ["inputs", "truncate", "truncation_direction", "raw_scores"],
};

/** The local handles behind the loopback TEI server, one per route. */
export interface TeiModels {
  embedder?: Embedder;
  reranker?: Reranker;
  classifier?: Classifier;
}

/** TEI's error body and status. */
export const teiError = (status: number, error: string, type: string): Reply => ({ status, body: { error, error_type: type } });

/**
 * TEI's `/predict` input: a string, a pair `[a, b]`, or a batch of `[text]` / `[a, b]` items. Returns the texts and
 * whether the answer is nested (a batch), or an error for a pair (the fixtures classify single texts).
 */
function predictInputs(inputs: unknown): { texts: string[]; batch: boolean } | Reply {
  if (typeof inputs === "string") return { texts: [inputs], batch: false };
  if (!Array.isArray(inputs) || inputs.length === 0) return teiError(422, "invalid type for `inputs`", "Validation");
  if (typeof inputs[0] === "string") {
    return inputs.length === 1 ? { texts: [inputs[0]], batch: false } : teiError(422, "pairs are not served here", "Validation");
  }
  if (inputs.some((item) => !Array.isArray(item) || item.length !== 1 || typeof item[0] !== "string"))
    return teiError(422, "invalid length or type in a batch item", "Validation");
  return { texts: inputs.map((item: string[]) => item[0] as string), batch: true };
}

async function route(models: TeiModels, path: string, body: unknown): Promise<Reply> {
  if (body === null || typeof body !== "object") return teiError(422, "Failed to parse the request body as JSON", "Validation");
  const b = body as Record<string, unknown>;
  const known = FIELDS[path];
  if (!known) return { status: 404, body: "" };
  const unknown = unknownFields(body, known);
  if (unknown.length > 0) return teiError(422, `unknown field \`${unknown[0]}\``, "Validation");
  try {
    if (path === "/embed" && models.embedder) {
      const inputs = typeof b.inputs === "string" ? [b.inputs] : (b.inputs as string[]);
      const vectors = await models.embedder.embed(inputs, {
        normalize: (b.normalize as boolean | undefined) ?? true,
        truncation: b.truncate ? "truncate" : "error",
        ...(b.prompt_name != null ? { promptName: b.prompt_name as string } : {}),
        ...(b.dimensions != null ? { dimensions: b.dimensions as number } : {}),
      });
      return { status: 200, body: vectors.map((v) => Array.from(v)) };
    }
    if (path === "/rerank" && models.reranker) {
      const docs = b.texts as string[];
      const ranks = await models.reranker.rerank(b.query as string, docs, { activation: b.raw_scores ? "none" : "sigmoid" });
      return {
        status: 200,
        body: ranks.map((r) => ({ index: r.index, score: r.score, ...(b.return_text ? { text: docs[r.index] } : {}) })),
      };
    }
    if (path === "/predict" && models.classifier) {
      const read = predictInputs(b.inputs);
      if ("status" in read) return read;
      // TEI: softmax over several labels, sigmoid over one, raw logits with raw_scores; every label, best first.
      const labels = await models.classifier.classify(read.texts, { topK: null, ...(b.raw_scores ? { functionToApply: "none" } : {}) });
      return { status: 200, body: read.batch ? labels : labels[0] };
    }
    return teiError(424, "model is not served by this loopback server", "Backend");
  } catch (error) {
    if (error instanceof InputError) return teiError(413, error.message, "Validation");
    throw error;
  }
}

/**
 * Starts a loopback TEI server over the given local handles.
 *
 * @example
 * const tei = await startTei({ classifier });
 * createRemoteClassifier({ kind: "tei", baseURL: tei.url });
 */
export function startTei(models: TeiModels): Promise<Loopback> {
  return startLoopback((path, body) => route(models, path, body));
}
