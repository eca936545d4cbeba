import type { Generator } from "@proj/decoder";
import type { FastifyInstance } from "fastify";
import { badRequest } from "../errors/http-error.js";
import type { ServerContext } from "../server/context.js";
import { BodyReader } from "./body-reader.js";
import { completionFormat } from "./choice-format.js";
import { answerGeneration } from "./generation-call.js";
import { readLogprobs } from "./logprobs.js";
import { readSamplingParams } from "./sampling-params.js";

/** Most prompts one `/v1/completions` request may send. */
const MAX_PROMPTS = 64;

/** OpenAI's default `max_tokens` for `/v1/completions`. */
const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

/**
 * `POST /v1/completions`: continues `prompt` (a string or an array of strings), whole or streamed.
 *
 * @example
 * registerCompletions(app, context);
 * // curl -d '{"model":"gpt2","prompt":"Once upon a time","max_tokens":20}' -H 'content-type: application/json' localhost:8000/v1/completions
 */
export function registerCompletions(app: FastifyInstance, context: ServerContext): void {
  app.post("/v1/completions", async (request, reply) => {
    const body = new BodyReader(request.body);
    const { id, handle: generator } = context.models.resolve<Generator>("generate", body.raw("model"));
    const prompts = readPrompts(body);
    body.refuse("echo", (v) => v === true, "the prompt is not repeated in the answer");
    body.refuse("suffix", (v) => v !== "", "this server does not insert text");
    body.refuse("tools", (v) => !Array.isArray(v) || v.length > 0, "tools are answered by /v1/chat/completions");
    const params = readSamplingParams(body, context.defaultMaxTokens ?? COMPLETIONS_DEFAULT_MAX_TOKENS, ["max_tokens"]);
    Object.assign(params.options, readLogprobs(body, "completion"));
    return answerGeneration(context, reply, {
      format: completionFormat,
      model: id,
      params,
      inputs: prompts.length,
      run: (options) => generator.generate(prompts, options),
    });
  });
}

function readPrompts(body: BodyReader): string[] {
  const raw = body.raw("prompt");
  if (raw === undefined) throw badRequest('Missing required field "prompt"', "prompt", "missing_required_parameter");
  if (Array.isArray(raw) && raw.some((p) => typeof p === "number" || Array.isArray(p))) {
    throw badRequest('"prompt" as token ids is not supported; send text', "prompt", "unsupported_parameter");
  }
  const prompts = body.strings("prompt", MAX_PROMPTS) ?? [];
  if (prompts.length === 0 || prompts.some((p) => p.length === 0)) throw badRequest('"prompt" must be non-empty text', "prompt");
  return prompts;
}
