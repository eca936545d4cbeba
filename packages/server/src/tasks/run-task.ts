import { AbortError } from "@proj/core";
import type { FastifyInstance, FastifyReply } from "fastify";
import { badRequest } from "../errors/http-error.js";
import { BodyReader } from "../openai/body-reader.js";
import type { ServerContext } from "../server/context.js";
import { requestSignal } from "../server/request-signal.js";
import { type EndpointTask, namesOf, OPENAI_FORMAT_NAMES } from "./task-names.js";

/** Most texts one task request may send. */
export const MAX_INPUTS = 256;

/**
 * What a task call gives the model, for the task metrics: the task (the `task` label), the texts or pairs it reads,
 * and how to count their tokens.
 *
 * @example
 * const usage: TaskCall = { task: "text-ranking", inputs: docs.length, tokens: () => countTokens(tokenizer, docs.map(() => query), docs) };
 */
export interface TaskCall {
  /** The endpoint task. */
  task: EndpointTask;
  /** Texts, or text pairs, the model reads. */
  inputs: number;
  /** Counts their tokens; run beside the work, not after it. */
  tokens?: () => Promise<number>;
}

/**
 * Runs a task call with a signal that fires when the client disconnects or shutdown cancels it; a cancelled
 * call is answered as such (499, or 503 while shutting down) rather than with partial results. With `call`, a
 * call that succeeds is recorded in the task metrics (model time, inputs, tokens).
 *
 * @example
 * const results = await runTask(context, reply, (signal) => classifier.classify(texts, { signal }), { task: "text-classification", inputs: texts.length });
 */
export async function runTask<T>(
  context: ServerContext,
  reply: FastifyReply,
  work: (signal: AbortSignal) => Promise<T>,
  call?: TaskCall,
): Promise<T> {
  const { controller, release } = requestSignal(context.inFlight, reply);
  const started = performance.now();
  // Tokens are counted beside the work; a count that fails leaves the metric out, never the answer.
  const counting = call?.tokens?.().catch(() => undefined);
  try {
    const result = await work(controller.signal);
    if (controller.signal.aborted) throw new AbortError();
    if (call) {
      const seconds = (performance.now() - started) / 1000;
      const tokens = await counting;
      context.metrics.observeTask(call.task, { inputs: call.inputs, seconds, ...(tokens !== undefined ? { tokens } : {}) });
    }
    return result;
  } finally {
    release();
  }
}

/**
 * Counts a task request in the task metrics by task and HTTP status once its response closes (`"499"` when the
 * client left before the end), whatever answered it: the task's result or an error.
 *
 * @example
 * countRequest(context, reply, "feature-extraction");
 */
export function countRequest(context: ServerContext, reply: FastifyReply, task: EndpointTask): void {
  reply.raw.once("close", () => {
    context.metrics.taskAnswered(task, reply.raw.writableFinished ? String(reply.raw.statusCode) : "499");
  });
}

/**
 * Reads `input`: one text or an array of texts, each non-empty.
 *
 * @example
 * const texts = readInputs(body); // ["I love it"]
 */
export function readInputs(body: BodyReader, name = "input"): string[] {
  if (body.raw(name) === undefined) throw badRequest(`Missing required field "${name}"`, name, "missing_required_parameter");
  const texts = body.strings(name, MAX_INPUTS) ?? [];
  if (texts.length === 0 || texts.some((t) => t.trim().length === 0))
    throw badRequest(`"${name}" must be non-empty text or a non-empty array of it`, name);
  return texts;
}

/**
 * Registers a task endpoint under every name the chooser gives the task (`POST /v1/token-classification` and
 * `POST /v1/ner`): one handler, whose body may hold `model` and `fields` only (anything else is a 400
 * `unknown_parameter` naming the nearest field), each request counted in the task metrics by task and status. A name in `OPENAI_FORMAT_NAMES` (`embeddings`) is left to its
 * OpenAI-format route.
 *
 * @example
 * postTask(app, context, "token-classification", ["input", "aggregation_strategy"], async (body, reply) => ({ ... }));
 */
export function postTask(
  app: FastifyInstance,
  context: ServerContext,
  task: EndpointTask,
  fields: readonly string[],
  handler: (body: BodyReader, reply: FastifyReply) => Promise<unknown>,
): void {
  const known = ["model", ...fields];
  for (const name of namesOf(task)) {
    if (OPENAI_FORMAT_NAMES.includes(name)) continue;
    app.post(`/v1/${name}`, async (request, reply) => {
      countRequest(context, reply, task);
      const body = new BodyReader(request.body);
      body.only(known, `POST /v1/${name}`);
      return handler(body, reply);
    });
  }
}
