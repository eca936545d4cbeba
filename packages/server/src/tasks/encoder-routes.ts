import {
  type AggregationStrategy,
  type Classifier,
  type FillMasker,
  type FunctionToApply,
  NER_AGGREGATIONS,
  NER_DECODINGS,
  NER_TAG_SCHEMES,
  type NerDecoding,
  type QuestionAnswerer,
  type TagScheme,
  type TokenClassifier,
} from "@proj/encoder";
import type { FastifyInstance } from "fastify";
import { badRequest } from "../errors/http-error.js";
import type { BodyReader } from "../openai/body-reader.js";
import type { ServerContext } from "../server/context.js";
import { countTokens } from "../metrics/count-tokens.js";
import { postTask, readInputs, runTask } from "./run-task.js";

function choice<T extends string>(body: BodyReader, name: string, allowed: readonly T[]): T | undefined {
  const value = body.string(name);
  if (value !== undefined && !allowed.includes(value as T))
    throw badRequest(`"${name}" must be one of ${allowed.join(", ")}, got "${value}"`, name);
  return value as T | undefined;
}

/**
 * The encoder task endpoints, JSON in and out, with the OpenAI error shape, each also under the task's other names
 * in the chooser (`/v1/text-classification`, `/v1/sentiment-analysis`, `/v1/token-classification`,
 * `/v1/question-answering`, `/v1/qa`); a field an endpoint does not know is a 400 naming the nearest one:
 * - `POST /v1/classify` `{ input, top_k?, function_to_apply? }` -> `{ data: [{ index, labels: [{ label, score }] }] }`
 * - `POST /v1/ner` `{ input, aggregation_strategy?, ignore_labels?, decoding?, tag_scheme? }` -> `{ data: [{ index, entities }] }`
 *   (`decoding: "constrained"` decodes labels under the tag scheme's transitions, `tag_scheme` names the scheme)
 * - `POST /v1/answer` `{ question, context, top_k?, max_answer_length?, handle_impossible_answer? }` -> `{ data: [{ answer, score, start, end }] }`
 * - `POST /v1/fill-mask` `{ input, top_k?, targets? }` -> `{ data: [{ index, predictions: [{ score, token, token_str, sequence }] }] }`
 *
 * @example
 * registerEncoderRoutes(app, context);
 * // curl -d '{"input":"I love it"}' -H 'content-type: application/json' localhost:8000/v1/classify
 */
export function registerEncoderRoutes(app: FastifyInstance, context: ServerContext): void {
  postTask(app, context, "text-classification", ["input", "top_k", "function_to_apply"], async (body, reply) => {
    const { id, handle } = context.models.resolve<Classifier>("classify", body.raw("model"));
    const texts = readInputs(body);
    const topK = body.isNull("top_k") ? null : body.number("top_k", { min: 1, integer: true });
    const fn = choice<FunctionToApply>(body, "function_to_apply", ["softmax", "sigmoid", "none"]);
    const results = await runTask(
      context,
      reply,
      (signal) => handle.classify(texts, { signal, ...(topK !== undefined ? { topK } : {}), ...(fn ? { functionToApply: fn } : {}) }),
      { task: "text-classification", inputs: texts.length, tokens: () => countTokens(handle.model.tokenizer, texts) },
    );
    return { object: "list", model: id, data: results.map((labels, index) => ({ index, labels })) };
  });

  const nerFields = ["input", "aggregation_strategy", "ignore_labels", "decoding", "tag_scheme"];
  postTask(app, context, "token-classification", nerFields, async (body, reply) => {
    const { id, handle } = context.models.resolve<TokenClassifier>("ner", body.raw("model"));
    const texts = readInputs(body);
    const aggregation = choice<AggregationStrategy>(body, "aggregation_strategy", NER_AGGREGATIONS);
    const ignoreLabels = body.strings("ignore_labels", 256);
    const decoding = choice<NerDecoding>(body, "decoding", NER_DECODINGS);
    const tagScheme = choice<TagScheme>(body, "tag_scheme", NER_TAG_SCHEMES);
    const results = await runTask(context, reply, (signal) =>
      handle.ner(texts, {
        signal,
        ...(aggregation ? { aggregation } : {}),
        ...(ignoreLabels ? { ignoreLabels } : {}),
        ...(decoding ? { decoding } : {}),
        ...(tagScheme ? { tagScheme } : {}),
      }),
    );
    return { object: "list", model: id, data: results.map((entities, index) => ({ index, entities })) };
  });

  const answerFields = ["question", "context", "top_k", "max_answer_length", "handle_impossible_answer"];
  postTask(app, context, "question-answering", answerFields, async (body, reply) => {
    const { id, handle } = context.models.resolve<QuestionAnswerer>("answer", body.raw("model"));
    const question = body.string("question", true);
    const text = body.string("context", true);
    const topK = body.number("top_k", { min: 1, max: 100, integer: true }) ?? 1;
    const maxAnswerLength = body.number("max_answer_length", { min: 1, integer: true });
    const impossible = body.boolean("handle_impossible_answer");
    const answers = await runTask(context, reply, (signal) =>
      handle.answer(
        { question, context: text },
        {
          topK,
          signal,
          ...(maxAnswerLength !== undefined ? { maxAnswerLength } : {}),
          ...(impossible !== undefined ? { handleImpossibleAnswer: impossible } : {}),
        },
      ),
    );
    // answer() returns one Answer for topK 1 and an array above: the endpoint always answers a list.
    return { object: "list", model: id, data: Array.isArray(answers) ? answers : [answers] };
  });

  postTask(app, context, "fill-mask", ["input", "top_k", "targets"], async (body, reply) => {
    const { id, handle } = context.models.resolve<FillMasker>("fill-mask", body.raw("model"));
    const texts = readInputs(body);
    const topK = body.number("top_k", { min: 1, integer: true });
    const targets = body.strings("targets", 1024);
    const results = await runTask(context, reply, (signal) =>
      handle.fillMask(texts, { signal, ...(topK !== undefined ? { topK } : {}), ...(targets ? { targets } : {}) }),
    );
    return {
      object: "list",
      model: id,
      data: results.map((predictions, index) => ({
        index,
        predictions: predictions.map((p) => ({ score: p.score, token: p.token, token_str: p.tokenStr, sequence: p.sequence })),
      })),
    };
  });
}
