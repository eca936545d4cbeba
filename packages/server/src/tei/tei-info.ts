import { availableParallelism } from "node:os";
import type { ModelDtype } from "@proj/core";
import type { Classifier, Embedder, Reranker } from "@proj/encoder";
import { version } from "../../package.json";
import type { ServerContext } from "../server/context.js";
import { MAX_INPUTS } from "../tasks/run-task.js";
import { SHORT_NAMES, TEI_FORMAT_ROUTES } from "../tasks/task-names.js";

/** Texts one forward pass of an encoder handle takes (its default `batchSize`). */
const FORWARD_BATCH = 32;

/**
 * The model a TEI server describes in `GET /info`, by kind: its pooling for an embedding model, its labels for a
 * classifier or a reranker.
 *
 * @example
 * const type: TeiModelType = { reranker: { id2label: { "0": "LABEL_0" }, label2id: { LABEL_0: 0 } } };
 */
export type TeiModelType =
  | { embedding: { pooling: string } }
  | { classifier: { id2label: Record<string, string>; label2id: Record<string, number> } }
  | { reranker: { id2label: Record<string, string>; label2id: Record<string, number> } };

/**
 * `GET /info` as Text Embeddings Inference answers it (its `Info`), for the model this server's TEI routes describe.
 *
 * @example
 * const info: TeiInfo = await (await fetch(`${url}/info`)).json();
 * info.model_type; // { embedding: { pooling: "mean" } }
 */
export interface TeiInfo {
  model_id: string;
  model_sha: string | null;
  model_dtype: string;
  served_model_name: string;
  model_type: TeiModelType;
  max_concurrent_requests: number;
  max_input_length: number;
  max_batch_tokens: number;
  max_batch_requests: number | null;
  max_client_batch_size: number;
  auto_truncate: boolean;
  tokenization_workers: number;
  version: string;
  sha: string | null;
  docker_label: string | null;
}

/** TEI's names of the number formats it runs in; the quantized ones keep this SDK's name. */
const DTYPE_NAMES: Partial<Record<ModelDtype, string>> = { fp32: "float32", fp16: "float16" };

/** TEI's names of the poolings (`last_token`); `none` for a model whose calls must pass a pooling, which `/embed` cannot. */
const POOLING_NAMES: Readonly<Record<string, string>> = { last: "last_token" };

function labelMaps(id2label: Readonly<Record<number, string>>): { id2label: Record<string, string>; label2id: Record<string, number> } {
  const entries = Object.entries(id2label).map(([id, label]) => [id, String(label)] as const);
  return { id2label: Object.fromEntries(entries), label2id: Object.fromEntries(entries.map(([id, label]) => [label, Number(id)])) };
}

/**
 * What `GET /info` says, filled in from what is served. A TEI server serves one model; this one may serve several,
 * so `/info` describes the first served of the TEI routes' models, in their order (embedding, reranker, classifier);
 * `undefined` when none is served. Limits are this server's: `max_client_batch_size` the texts one request may send
 * (256), `max_input_length` the model's window, `max_batch_tokens` a forward pass of 32 texts of that window,
 * `auto_truncate` whether a long text is cut (reranker and classifier) or refused unless `truncate: true`
 * (embedding); `max_concurrent_requests` is unbounded here (`Number.MAX_SAFE_INTEGER`): the task endpoints queue
 * no requests of their own. `version` is `@proj/server`'s.
 *
 * @example
 * teiInfo(context)?.model_type; // { embedding: { pooling: "mean" } }
 */
export function teiInfo(context: ServerContext): TeiInfo | undefined {
  const served = Object.values(TEI_FORMAT_ROUTES)
    .map((task) => SHORT_NAMES[task])
    .find((name) => context.models.has(name));
  if (served === undefined) return undefined;
  const { id, handle } = context.models.resolve<Embedder | Reranker | Classifier>(served, undefined);
  let modelType: TeiModelType;
  if (handle.task === "embed") {
    const pooling = handle.pooling === undefined ? "none" : (POOLING_NAMES[handle.pooling] ?? handle.pooling);
    modelType = { embedding: { pooling } };
  } else if (handle.task === "rerank") modelType = { reranker: labelMaps(handle.model.config.id2label) };
  else modelType = { classifier: labelMaps(handle.labels) };
  const dtype = handle.model.dtypes.model ?? Object.values(handle.model.dtypes)[0] ?? "fp32";
  return {
    model_id: id,
    model_sha: null,
    model_dtype: DTYPE_NAMES[dtype] ?? dtype,
    served_model_name: id,
    model_type: modelType,
    max_concurrent_requests: Number.MAX_SAFE_INTEGER,
    max_input_length: handle.maxLength,
    max_batch_tokens: FORWARD_BATCH * handle.maxLength,
    max_batch_requests: null,
    max_client_batch_size: MAX_INPUTS,
    auto_truncate: handle.task !== "embed",
    tokenization_workers: availableParallelism(),
    version,
    sha: null,
    docker_label: null,
  };
}
