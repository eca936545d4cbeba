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
 * Runs a task call with a signal that fires when the client disconnects or shutdown cancels it; a cancelled
 * call is answered as such (499, or 503 while shutting down) rather than with partial results.
 *
 * @example
 * const results = await runTask(context, reply, (signal) => classifier.classify(texts, { signal }));
 */
export async function runTask<T>(context: ServerContext, reply: FastifyReply, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const { controller, release } = requestSignal(context.inFlight, reply);
  try {
    const result = await work(controller.signal);
    if (controller.signal.aborted) throw new AbortError();
    return result;
  } finally {
    release();
  }
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
 * `unknown_parameter` naming the nearest field). A name in `OPENAI_FORMAT_NAMES` (`embeddings`) is left to its
 * OpenAI-format route.
 *
 * @example
 * postTask(app, "token-classification", ["input", "aggregation_strategy"], async (body, reply) => ({ ... }));
 */
export function postTask(
  app: FastifyInstance,
  task: EndpointTask,
  fields: readonly string[],
  handler: (body: BodyReader, reply: FastifyReply) => Promise<unknown>,
): void {
  const known = ["model", ...fields];
  for (const name of namesOf(task)) {
    if (OPENAI_FORMAT_NAMES.includes(name)) continue;
    app.post(`/v1/${name}`, async (request, reply) => {
      const body = new BodyReader(request.body);
      body.only(known, `POST /v1/${name}`);
      return handler(body, reply);
    });
  }
}
