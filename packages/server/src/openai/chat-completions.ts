import type { Generator } from "@proj/decoder";
import type { FastifyInstance } from "fastify";
import { badRequest } from "../errors/http-error.js";
import type { ServerContext } from "../server/context.js";
import { BodyReader } from "./body-reader.js";
import { chatFormat } from "./choice-format.js";
import { readMessages } from "./chat-messages.js";
import { readTools } from "./chat-tools.js";
import { readLogprobs } from "./logprobs.js";
import { answerGeneration } from "./generation-call.js";
import { readSamplingParams } from "./sampling-params.js";

/** `max_tokens` of a chat request that sends none, unless the server sets `defaultMaxTokens`. */
const CHAT_DEFAULT_MAX_TOKENS = 256;

/**
 * `POST /v1/chat/completions`: answers `messages`, rendered with the model's chat template (or the server's
 * `chatTemplate`), whole or streamed; with `tools`, the calls the model made as `tool_calls` (finish reason
 * `"tool_calls"`), streamed as OpenAI streams them while they are generated: a call's first delta (`index`, `id`,
 * `type`, `function.name`, empty `arguments`) once its name is complete, then its arguments' JSON text in pieces.
 *
 * @example
 * registerChatCompletions(app, context);
 * // const answer = await new OpenAI({ baseURL: "http://127.0.0.1:8000/v1", apiKey: "none" }).chat.completions.create({ model, messages });
 */
export function registerChatCompletions(app: FastifyInstance, context: ServerContext): void {
  app.post("/v1/chat/completions", async (request, reply) => {
    const body = new BodyReader(request.body);
    const { id, handle: generator } = context.models.resolve<Generator>("generate", body.raw("model"));
    const messages = readMessages(body);
    const tools = readTools(body);
    const params = readSamplingParams(body, context.defaultMaxTokens ?? CHAT_DEFAULT_MAX_TOKENS, ["max_completion_tokens", "max_tokens"]);
    if (tools.tools !== undefined && params.n > 1) throw badRequest('"n" above 1 cannot be combined with "tools"', "n");
    Object.assign(params.options, readLogprobs(body, "chat"));
    const template = context.chatTemplate === undefined ? {} : { chatTemplate: context.chatTemplate };
    return answerGeneration(context, reply, {
      format: chatFormat,
      model: id,
      params,
      inputs: 1,
      run: async (options) => [await generator.chat(messages, { ...options, ...template, ...tools })],
    });
  });
}
