import { realpathSync } from "node:fs";
import { InferenceSession, listSupportedBackends } from "onnxruntime-node";
import { ModelFormatError, SessionError } from "../errors.js";
import { cudaProviderInstalled } from "./cuda-files.js";
import { ModelSession } from "./model-session.js";
import { type SessionOptions, sessionOptionsKey, toOrtOptions } from "./session-options.js";
import { processGlobal } from "../process-global.js";
import { debugLog } from "../graph/debug-log.js";
import { GraphCache } from "../graph/graph-cache.js";
import { lastPositionGraph } from "../graph/last-position-file.js";

/** Options of {@link acquireSession}: how the session runs, and whether its graph is rewritten at load. */
export interface AcquireOptions extends SessionOptions {
  /**
   * Rewrite a decoder graph in memory so that its `logits` output holds only each row's last position (prefill then
   * computes the LM head once per row instead of once per prompt token). A graph without the LM head pattern is
   * opened unchanged, and `NODE_DEBUG=proj` says why. @defaultValue false
   */
  lastPositionLogits?: boolean;
}

/** A use of a shared {@link ModelSession}; `release()` it when done. */
export interface SessionLease {
  /** The shared session. */
  readonly session: ModelSession;
  /** Lets go of the session; the last release frees its native memory. Safe to call twice. */
  release(): Promise<void>;
}

interface PoolEntry {
  session: Promise<ModelSession>;
  users: number;
}

const pool = processGlobal("session-pool", () => new Map<string, PoolEntry>());

/**
 * Opens an ONNX file as a session, or shares the one already open for the same file and options:
 * one session per file per process, freed when its last lease is released.
 *
 * @example
 * const lease = await acquireSession("/models/bert/onnx/model.onnx", { threads: 2 });
 * const out = await lease.session.run(feeds);
 * await lease.release();
 * // a decoder for generation: logits of the last position only
 * const decoder = await acquireSession("/models/gpt2/onnx/model.onnx", { threads: 2, lastPositionLogits: true });
 */
export async function acquireSession(file: string, options: AcquireOptions = {}): Promise<SessionLease> {
  const key = `${canonical(file)}|${sessionOptionsKey(options)}|${options.lastPositionLogits ? "last" : "all"}`;
  let entry = pool.get(key);
  if (!entry) {
    const created: PoolEntry = { session: createSession(file, options), users: 0 };
    created.session.catch(() => {
      if (pool.get(key) === created) pool.delete(key);
    });
    pool.set(key, created);
    entry = created;
  }
  entry.users += 1;
  const held = entry;
  let session: ModelSession;
  try {
    session = await held.session;
  } catch (error) {
    held.users -= 1;
    throw error;
  }
  let released = false;
  return {
    session,
    async release() {
      if (released) return;
      released = true;
      held.users -= 1;
      if (held.users === 0 && pool.get(key) === held) {
        pool.delete(key);
        await session.release();
      }
    },
  };
}

/**
 * How many distinct sessions this process holds open (for tests and diagnostics).
 *
 * @example
 * openSessionCount(); // 0 once every handle is disposed
 */
export function openSessionCount(): number {
  return pool.size;
}

function canonical(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/** Set once CUDA's provider library failed to load in this process, so `"auto"` stops trying it. */
let cudaMissing = false;

async function createSession(file: string, options: AcquireOptions): Promise<ModelSession> {
  const device = options.device ?? "cpu";
  const cudaBuilt = listSupportedBackends().some((b) => b.name === "cuda");
  if (device === "cuda" && !cudaBuilt) {
    throw new SessionError("This build of onnxruntime-node has no CUDA execution provider", {
      hint: 'use { device: "cpu" } or { device: "auto" }, or install onnxruntime-node with its CUDA files on a machine with a GPU',
    });
  }
  if (device === "cuda" && !cudaProviderInstalled()) throw cudaNotInstalled();
  // "auto" tries CUDA only where its provider library is installed (and has not failed to load in this process).
  const tryCuda = device === "auto" && cudaBuilt && cudaProviderInstalled() && !cudaMissing;
  const providers: Array<"cpu" | "cuda"> = device === "cuda" ? ["cuda"] : tryCuda ? ["cuda", "cpu"] : ["cpu"];
  let rewritten = options.lastPositionLogits ? await rewrite(file) : undefined;
  let lastError: unknown;
  for (const provider of providers) {
    try {
      if (rewritten) {
        try {
          const ort = rewritten.options(toOrtOptions(options, provider));
          const { graph } = rewritten;
          const session = typeof graph === "string" ? await InferenceSession.create(graph, ort) : await InferenceSession.create(graph, ort);
          return new ModelSession(file, session, provider, true);
        } catch (error) {
          if (provider === "cuda" && isProviderLoadFailure(error)) throw error;
          debugLog(
            `graph ${file}: loaded unchanged, computing logits at every position: ONNX Runtime refused the rewritten graph (${messageOf(error)})`,
          );
          await rewritten.refused();
          rewritten = undefined;
        }
      }
      const session = await InferenceSession.create(file, toOrtOptions(options, provider));
      return new ModelSession(file, session, provider, false);
    } catch (error) {
      lastError = error;
      // The binding lists CUDA whenever it was built with it, but its provider libraries are only there when the
      // install downloaded them (this repository's .npmrc skips that): "auto" then runs on the CPU.
      if (provider === "cuda" && isProviderLoadFailure(error)) {
        cudaMissing = true;
        if (device === "auto") continue;
        throw cudaNotInstalled(error);
      }
      if (isFormatFailure(error)) break;
    }
  }
  const message = messageOf(lastError);
  if (isFormatFailure(lastError)) {
    throw new ModelFormatError(`${file} is not a valid ONNX model: ${message}`, {
      hint: "the file is corrupt or truncated; download or export it again",
      cause: lastError,
    });
  }
  throw new SessionError(`ONNX Runtime could not open ${file}: ${message}`, { cause: lastError });
}

/** A rewritten graph to open: a file of the graph cache, or bytes in memory. */
interface Rewritten {
  graph: string | Uint8Array;
  options: (ort: InferenceSession.SessionOptions) => InferenceSession.SessionOptions;
  /** ONNX Runtime refused it: a cached file is dropped. */
  refused(): Promise<void>;
}

/**
 * The graph rewritten by {@link lastPositionGraph}: from the graph cache when an earlier load left it there (opened by
 * path, so the weights are not copied through JavaScript), else rewritten in memory and left in the cache for the
 * next load. Models with external weights are rewritten in memory every time (their graph alone is small). `undefined`
 * (and a debug line) when the graph is opened unchanged.
 */
async function rewrite(file: string): Promise<Rewritten | undefined> {
  const cache = GraphCache.open();
  let key: string | undefined;
  let read: Uint8Array | undefined;
  if (cache) {
    try {
      ({ key, bytes: read } = await cache.keyOf(file));
      const hit = await cache.get(key);
      if (hit && "path" in hit) {
        debugLog(`graph ${file}: the graph rewritten to compute logits at the last position only, from the cache (${hit.path})`);
        const cached = key;
        return { graph: hit.path, options: (ort) => ort, refused: () => cache.drop(cached) };
      }
      if (hit) {
        debugLog(`graph ${file}: loaded unchanged, computing logits at every position: ${hit.unchanged} (remembered)`);
        return undefined;
      }
    } catch (error) {
      debugLog(`graph cache: not used for ${file} (${messageOf(error)})`);
      key = undefined;
    }
  }
  let graph: Awaited<ReturnType<typeof lastPositionGraph>>;
  try {
    graph = await lastPositionGraph(file, read);
  } catch (error) {
    debugLog(`graph ${file}: loaded unchanged, computing logits at every position: it could not be read (${messageOf(error)})`);
    return undefined;
  }
  if (!graph.bytes) {
    debugLog(`graph ${file}: loaded unchanged, computing logits at every position: ${graph.reason}`);
    if (cache && key) await cache.putUnchanged(key, graph.reason).catch(() => undefined);
    return undefined;
  }
  debugLog(`graph ${file}: rewritten in memory to compute logits at the last position only (${graph.where.join(", ")})`);
  const folder = graph.externalDataFolder;
  if (cache && key && !folder) {
    const path = await cache.putGraph(key, graph.bytes).catch((error: unknown) => {
      debugLog(`graph cache: could not keep the rewritten ${file} (${messageOf(error)})`);
    });
    if (path) debugLog(`graph ${file}: rewritten graph kept in the cache for the next load (${path})`);
  }
  return {
    graph: graph.bytes,
    // A model opened from bytes has no folder of its own: external weights are found in the file's folder.
    options: (ort) => (folder ? { ...ort, extra: { session: { model_external_initializers_file_folder_path: folder } } } : ort),
    refused: async () => undefined,
  };
}

function cudaNotInstalled(cause?: unknown): SessionError {
  return new SessionError(
    `The CUDA execution provider of onnxruntime-node cannot be loaded${cause === undefined ? ": its library is not installed" : `: ${messageOf(cause)}`}`,
    {
      hint: 'install onnxruntime-node with its CUDA files (without onnxruntime-node-install=skip) on a machine with a GPU and CUDA 12, or use { device: "cpu" } or { device: "auto" }',
      ...(cause === undefined ? {} : { cause }),
    },
  );
}

function messageOf(error: unknown): string {
  return (error as Error | undefined)?.message ?? String(error);
}

/** ONNX Runtime could not load an execution provider's shared library (not a fault of the model file). */
function isProviderLoadFailure(error: unknown): boolean {
  return /ExecutionProvider|providers_shared|providers_cuda|shared library|libcudart|libcublas|libcudnn/i.test(messageOf(error));
}

function isFormatFailure(error: unknown): boolean {
  const message = (error as Error | undefined)?.message ?? "";
  return /protobuf|parsing|invalid model|ModelProto|Load model|No graph|INVALID_GRAPH|INVALID_PROTOBUF|external data|failed to load/i.test(
    message,
  );
}
