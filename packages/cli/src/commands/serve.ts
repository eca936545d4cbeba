import type { TaskName } from "@proj/chooser";
import { readApiKeys } from "../args/api-keys.js";
import { fileFlag } from "../args/file-flag.js";
import { MODEL_FLAGS, OUTPUT_FLAGS, pipelineOptions } from "../args/common.js";
import type { Flag } from "../args/flags.js";
import { booleanFlag, listFlag, numberFlag, stringFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import type { Command } from "./command.js";

const TASK_FLAGS = [
  "classify",
  "ner",
  "answer",
  "fill-mask",
  "translate",
  "summarize",
  "embed",
  "rerank",
  "zero-shot",
] as const satisfies readonly TaskName[];

/** `proj serve`: the OpenAI-compatible server of `@proj/server`. */
export const serveCommand: Command = {
  name: "serve",
  summary: "serve a model over an OpenAI-compatible HTTP API with continuous batching (@proj/server)",
  usage: "proj serve [--model <decoder>] [--classify <model>] ... [flags]",
  examples: [
    "proj serve --model onnx-community/Qwen2.5-0.5B-Instruct --port 8000",
    "PROJ_API_KEY=$(openssl rand -hex 32) proj serve --model ./models/gpt2 --host 0.0.0.0 --cors-origin https://app.example.com",
    "proj serve --model ./models/gpt2 --classify ./models/sst2 --summarize Xenova/distilbart-cnn-6-6 --max-sequences 32",
  ],
  flags: {
    host: {
      type: "string",
      value: "host",
      description: "address to listen on (default 127.0.0.1); one other machines can reach needs an API key",
    },
    port: { type: "string", value: "n", description: "port (default 8000; 0 picks a free one)" },
    "max-sequences": { type: "string", value: "n", description: "sequences decoded together (default 16)" },
    "max-tokens": { type: "string", value: "n", description: "tokens in flight, bounding KV-cache memory" },
    "max-queue": { type: "string", value: "n", description: "requests waiting before 429 (default 256)" },
    "no-batching": { type: "boolean", description: "decode one sequence at a time (the baseline)" },
    "prefix-cache-mb": { type: "string", value: "n", description: "memory for cached prompt prefixes' key/values (default 256)" },
    "no-prefix-cache": { type: "boolean", description: "prefill every prompt whole (no prefix cache across requests)" },
    "chat-template": { type: "string", value: "file", description: "a Jinja chat template file for models that ship none" },
    classify: { type: "string", value: "model", description: "serve POST /v1/classify with this model" },
    ner: { type: "string", value: "model", description: "serve POST /v1/ner with this model" },
    answer: { type: "string", value: "model", description: "serve POST /v1/answer with this model" },
    "fill-mask": { type: "string", value: "model", description: "serve POST /v1/fill-mask with this model" },
    translate: { type: "string", value: "model", description: "serve POST /v1/translate with this model" },
    summarize: { type: "string", value: "model", description: "serve POST /v1/summarize with this model" },
    embed: {
      type: "string",
      value: "model",
      description: "serve POST /v1/embeddings (OpenAI's format), /v1/embed and /v1/sentence-similarity with this model",
    },
    rerank: { type: "string", value: "model", description: "serve POST /v1/rerank (Cohere's format) with this cross-encoder" },
    "zero-shot": { type: "string", value: "model", description: "serve POST /v1/zero-shot with this NLI model" },
    log: { type: "boolean", description: "log requests as JSON lines (API keys are never logged)" },
    "api-key": {
      type: "string",
      multiple: true,
      value: "key",
      description: "require this key as Authorization: Bearer <key> (prefer PROJ_API_KEY or --api-key-file: argv shows in ps)",
    },
    "api-key-file": { type: "string", value: "file", description: "require one of the keys in this file (one per line)" },
    "cors-origin": { type: "string", multiple: true, value: "origin", description: "let browsers on this origin call the server (CORS)" },
    "metrics-public": { type: "boolean", description: "serve /metrics without an API key" },
    "insecure-no-auth": {
      type: "boolean",
      description: "listen on a non-loopback --host without an API key (only behind something that authenticates)",
    },
    "max-request-seconds": { type: "string", value: "s", description: "cancel a request past this wall time: 504 request_timeout" },
    "headers-timeout-ms": { type: "string", value: "ms", description: "time to send a request's headers: 408 (default 30000)" },
    "request-timeout-ms": { type: "string", value: "ms", description: "time to send a whole request: 408 (default 60000)" },
    "keep-alive-timeout-ms": { type: "string", value: "ms", description: "idle keep-alive connection lifetime (default 72000)" },
    "max-connections": { type: "string", value: "n", description: "open connections before 503 too_many_connections" },
    "max-body-bytes": { type: "string", value: "n", description: "largest request body: 413 (default 1048576)" },
    ...MODEL_FLAGS,
    // No --json: serve prints no result, only the line saying where it listens.
    quiet: OUTPUT_FLAGS.quiet as Flag,
    help: OUTPUT_FLAGS.help as Flag,
  },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`serve takes no arguments (got "${args.positionals.join(" ")}")`, "serve");
    const port = numberFlag(args, "port", "serve", { integer: true, min: 0, max: 65535 }) ?? 8000;
    const host = stringFlag(args, "host") ?? "127.0.0.1";
    const int = (flag: string) => numberFlag(args, flag, "serve", { integer: true, min: 1 });
    const { model, load } = pipelineOptions(args, "serve");
    // The task flags are the server's task names (the chooser's), passed through as they are.
    const tasks: Record<string, string> = {};
    for (const flag of TASK_FLAGS) {
      const value = stringFlag(args, flag);
      if (value !== undefined) tasks[flag] = value;
    }
    if (model === undefined && Object.keys(tasks).length === 0)
      throw new UsageError("nothing to serve: pass --model (a decoder) and/or task models such as --classify", "serve");
    // Refuse an exposed, keyless server before loading anything.
    const { createServer, isLoopbackHost } = await import("@proj/server");
    const apiKeys = await readApiKeys(args, io);
    const insecureNoAuth = booleanFlag(args, "insecure-no-auth");
    if (!isLoopbackHost(host) && apiKeys.length === 0 && !insecureNoAuth)
      throw new UsageError(
        `refusing to listen on ${host} without an API key: anyone who can reach it could use the server. ` +
          "Pass --api-key <key> (or set PROJ_API_KEY, or --api-key-file <file>) and have clients send Authorization: Bearer <key>, " +
          "or pass --insecure-no-auth if something in front of the server authenticates",
        "serve",
      );
    const corsOrigins = listFlag(args, "cors-origin");
    const chatTemplate = await fileFlag(args, "chat-template", io, "serve");

    const server = await createServer({
      ...(model !== undefined ? { model } : {}),
      ...(load ? { load } : {}),
      tasks,
      ...optional("maxSequences", int("max-sequences")),
      ...optional("maxTokens", int("max-tokens")),
      ...optional("maxQueue", int("max-queue")),
      ...(booleanFlag(args, "no-batching") ? { batching: false } : {}),
      ...prefixCacheOption(booleanFlag(args, "no-prefix-cache"), numberFlag(args, "prefix-cache-mb", "serve", { min: 0 })),
      ...(chatTemplate ? { chatTemplate } : {}),
      logger: booleanFlag(args, "log"),
      ...(apiKeys.length > 0 ? { apiKeys } : {}),
      ...(corsOrigins ? { cors: { origins: corsOrigins } } : {}),
      ...(booleanFlag(args, "metrics-public") ? { metricsPublic: true } : {}),
      ...(insecureNoAuth ? { insecureNoAuth } : {}),
      ...optional("maxRequestSeconds", numberFlag(args, "max-request-seconds", "serve", { min: 0, exclusiveMin: true })),
      ...optional("headersTimeoutMs", int("headers-timeout-ms")),
      ...optional("requestTimeoutMs", int("request-timeout-ms")),
      ...optional("keepAliveTimeoutMs", int("keep-alive-timeout-ms")),
      ...optional("maxConnections", int("max-connections")),
      ...optional("maxBodyBytes", int("max-body-bytes")),
    });
    const url = await server.listen(port, host);
    const auth = apiKeys.length > 0 ? `; API key required` : "";
    io.stdout.write(
      `serving ${server.models.map((m) => `${m.id} (${m.task})`).join(", ")} at ${url} (OpenAI API at ${url}/v1${auth}; Ctrl-C to stop)\n`,
    );
    if (insecureNoAuth && apiKeys.length === 0 && !isLoopbackHost(host))
      io.stderr.write(`warning: ${host} is reachable from the network and no API key is required (--insecure-no-auth)\n`);
    await new Promise<void>((done) => {
      const stop = (): void => {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        if (!booleanFlag(args, "quiet")) io.stderr.write("shutting down (finishing requests in flight) ...\n");
        server.close().then(done, done);
      };
      process.on("SIGINT", stop);
      process.on("SIGTERM", stop);
    });
    return 0;
  },
};

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

/** The server's `prefixCache` from `--no-prefix-cache` and `--prefix-cache-mb` (which cannot go together). */
function prefixCacheOption(off: boolean, megabytes: number | undefined): { prefixCache?: false | { maxBytes: number } } {
  if (off && megabytes !== undefined) throw new UsageError("--no-prefix-cache and --prefix-cache-mb cannot go together", "serve");
  if (off) return { prefixCache: false };
  return megabytes !== undefined ? { prefixCache: { maxBytes: Math.round(megabytes * 2 ** 20) } } : {};
}
