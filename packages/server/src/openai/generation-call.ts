import { randomUUID } from "node:crypto";
import { AbortError } from "@proj/core";
import type { ChatResult, GenerationResult, GeneratorCallOptions, StreamedTokenEvent, TokenLogprob, ToolCallDelta } from "@proj/decoder";
import type { FastifyReply } from "fastify";
import { toHttpError } from "../errors/to-http-error.js";
import type { ServerContext } from "../server/context.js";
import { requestSignal } from "../server/request-signal.js";
import type { ChoiceFormat, FinishedChoice, ResponseMeta, Usage } from "./choice-format.js";
import type { SamplingParams } from "./sampling-params.js";
import { SseWriter } from "./sse.js";

/** One generation request, ready to run: how to call the generator and how to shape the answer. */
export interface GenerationCall {
  /** Response and chunk shapes of the endpoint. */
  format: ChoiceFormat;
  /** The model id echoed in the response. */
  model: string;
  /** The request's sampling fields. */
  params: SamplingParams;
  /** Prompts in the call (choices are `inputs * n`). */
  inputs: number;
  /** Runs the generator with the options given (the request's, plus `signal` and, when streaming, `onToken`). */
  run(options: GeneratorCallOptions): Promise<GenerationResult[]>;
}

type Outcome = { results: GenerationResult[] } | { error: unknown };

/**
 * Answers a generation request, whole or as server-sent events. The generation is cancelled (its batch rows
 * freed) when the client disconnects, and by shutdown past its deadline. A stream's headers are sent only once
 * the first token exists, so a refusal (full queue, prompt over the context) is still a plain 429 or 400.
 *
 * @example
 * return answerGeneration(context, reply, { format: chatFormat, model: id, params, inputs: 1, run: (o) => generator.chat(messages, o).then((r) => [r]) });
 */
export async function answerGeneration(context: ServerContext, reply: FastifyReply, call: GenerationCall): Promise<unknown> {
  const { controller, release } = requestSignal(context.inFlight, reply);
  const settled = context.metrics.generationStarted(call.inputs * call.params.n);
  const meta: ResponseMeta = {
    id: `${call.format.idPrefix}${randomUUID().replaceAll("-", "")}`,
    created: Math.floor(Date.now() / 1000),
    model: call.model,
  };
  try {
    return call.params.stream
      ? await streamAnswer(context, reply, call, meta, controller)
      : await wholeAnswer(context, reply, call, meta, controller);
  } finally {
    settled();
    release();
  }
}

async function wholeAnswer(
  context: ServerContext,
  reply: FastifyReply,
  call: GenerationCall,
  meta: ResponseMeta,
  controller: AbortController,
): Promise<unknown> {
  const results = await call.run({ ...call.params.options, signal: controller.signal });
  if (controller.signal.aborted || results.some((r) => r.sequences.some((s) => s.finishReason === "abort"))) {
    throw toHttpError(controller.signal.reason ?? new AbortError(), { closing: context.closing });
  }
  const metrics = results[0]?.metrics;
  if (metrics) context.metrics.observeGeneration(metrics);
  return reply.send(call.format.response(meta, finishedChoices(results, call.params), usageOf(results)));
}

async function streamAnswer(
  context: ServerContext,
  reply: FastifyReply,
  call: GenerationCall,
  meta: ResponseMeta,
  controller: AbortController,
): Promise<void> {
  const { format, params } = call;
  const pending: StreamedTokenEvent[] = [];
  let sse: SseWriter | undefined;
  let wake: () => void = () => undefined;
  const first = new Promise<undefined>((resolve) => {
    wake = () => resolve(undefined);
  });
  // Log-probabilities of tokens whose text is not out yet wait for it, so each chunk carries the tokens of its text.
  const heldLogprobs = new Map<number, TokenLogprob[]>();
  // The text each choice has streamed so far (its length is the next chunk's logprob text offset).
  const streamedText = new Map<number, string>();
  // Choices whose tool calls went out as they were generated (the others, if any, get theirs whole at the end).
  const streamedCalls = new Set<number>();
  const sendCalls = (writer: SseWriter, index: number, deltas: readonly ToolCallDelta[]): void => {
    if (deltas.length > 0) streamedCalls.add(index);
    for (const toolCallDelta of deltas) writer.send(format.chunk(meta, { index, toolCallDelta }));
  };
  const emit = (writer: SseWriter, event: StreamedTokenEvent): void => {
    const index = event.input * params.n + event.sequence;
    const held = heldLogprobs.get(index) ?? [];
    if (event.logprob) held.push(event.logprob);
    if (event.text === "" && !params.returnTokenIds) {
      heldLogprobs.set(index, held);
      sendCalls(writer, index, event.toolCallDeltas ?? []);
      return;
    }
    heldLogprobs.delete(index);
    const sent = streamedText.get(index) ?? "";
    const offset = sent.length;
    streamedText.set(index, sent + event.text);
    writer.send(
      format.chunk(meta, {
        index,
        text: event.text,
        ...(params.returnTokenIds ? { tokenIds: [event.tokenId] } : {}),
        ...(held.length > 0 ? { logprobs: { entries: held, offset } } : {}),
      }),
    );
    sendCalls(writer, index, event.toolCallDeltas ?? []);
  };
  const onToken = (event: StreamedTokenEvent): void => {
    if (sse) emit(sse, event);
    else {
      pending.push(event);
      wake();
    }
  };
  const outcome: Promise<Outcome> = call.run({ ...params.options, signal: controller.signal, onToken }).then(
    (results) => ({ results }),
    (error: unknown) => ({ error }),
  );
  const early = await Promise.race([first, outcome]);
  if (early && "error" in early) throw early.error;
  if (controller.signal.aborted) {
    await outcome;
    throw toHttpError(controller.signal.reason ?? new AbortError(), { closing: context.closing });
  }

  reply.hijack();
  const writer = new SseWriter(reply.raw);
  sse = writer;
  writer.open();
  if (format.streamsRole)
    for (let index = 0; index < call.inputs * params.n; index++) writer.send(format.chunk(meta, { index, role: true, text: "" }));
  for (const event of pending.splice(0)) emit(writer, event);

  const end = await outcome;
  if ("error" in end) {
    writer.send(toHttpError(end.error, { closing: context.closing }).toBody());
    return writer.end();
  }
  const { results } = end;
  if (controller.signal.aborted || results.some((r) => r.sequences.some((s) => s.finishReason === "abort"))) {
    // The client is gone (nobody reads this), its time ran out, or shutdown cancelled it: say so and end without [DONE].
    writer.send(toHttpError(controller.signal.reason ?? new AbortError(), { closing: context.closing }).toBody());
    return writer.end();
  }
  const metrics = results[0]?.metrics;
  if (metrics) context.metrics.observeGeneration(metrics);
  for (const choice of finishedChoices(results, params)) {
    // Whatever the token events did not deliver (text held back in case it began a tool call, beam search) comes
    // last, as the SDK's streams deliver it.
    const sent = streamedText.get(choice.index) ?? "";
    if (choice.text.length > sent.length && choice.text.startsWith(sent)) {
      writer.send(format.chunk(meta, { index: choice.index, text: choice.text.slice(sent.length) }));
    }
    if (choice.toolCalls?.length && !streamedCalls.has(choice.index)) {
      const whole = choice.toolCalls.map((c, i) => ({ index: i, id: c.id, name: c.name, arguments: JSON.stringify(c.arguments) }));
      sendCalls(writer, choice.index, whole);
    }
    writer.send(
      format.chunk(meta, { index: choice.index, ...(format.streamsRole ? {} : { text: "" }), finishReason: choice.finishReason }),
    );
  }
  if (params.includeUsage) writer.send(format.usageChunk(meta, usageOf(results)));
  writer.done();
}

/**
 * The choices of a finished call, `n` per prompt, indexed `input * n + sequence`. A chat answer that made tool calls
 * (`ChatResult.toolCalls`, for its one sequence) gives its text without the call markup, the calls, and finish
 * reason `"tool_calls"`.
 */
function finishedChoices(results: readonly GenerationResult[], params: SamplingParams): FinishedChoice[] {
  return results.flatMap((result, input) =>
    result.sequences.map((sequence, s): FinishedChoice => {
      const calls = s === 0 && "toolCalls" in result ? (result as ChatResult).toolCalls : [];
      const reason = sequence.finishReason === "length" ? "length" : calls.length > 0 ? "tool_calls" : "stop";
      return {
        index: input * params.n + s,
        text: calls.length > 0 ? result.text : sequence.text,
        finishReason: reason,
        ...(calls.length > 0 ? { toolCalls: calls } : {}),
        ...(params.returnTokenIds ? { tokenIds: sequence.tokenIds } : {}),
        ...(sequence.logprobs ? { logprobs: sequence.logprobs } : {}),
      };
    }),
  );
}

/** `usage` of a call: its metrics are shared by every prompt of the call. */
function usageOf(results: readonly GenerationResult[]): Usage {
  const metrics = results[0]?.metrics;
  const prompt = metrics?.promptTokens ?? 0;
  const completion = metrics?.generatedTokens ?? 0;
  const cached = metrics?.cachedTokens;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(cached !== undefined ? { prompt_tokens_details: { cached_tokens: cached } } : {}),
  };
}
