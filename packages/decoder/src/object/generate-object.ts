import { type GenerationResult, InputError, ResultStream, type TokenEvent } from "@proj/core";
import { chainTokenCallbacks, checkOptions } from "@proj/core/internal";
import type { ChatMessage, ChatOptions } from "../chat/messages.js";
import { CHAT_OPTION_NAMES } from "../generate/option-names.js";
import type { GenerateOptions } from "../generate/types.js";
import { DEFAULT_CHAT_MODEL, defaultGenerationModel } from "../shared/defaults.js";
import { generatorFor } from "../shared/generators.js";
import { type InferObject, type ObjectSchema, type PreparedSchema, prepareSchema } from "./object-schema.js";
import { parsePartialJson } from "./partial-json.js";

/** Options of {@link generateObject} and {@link streamObject}: the schema, and the options of `generate` (or of `chat` for messages). */
export interface GenerateObjectOptions<S extends ObjectSchema> extends Omit<GenerateOptions, "responseFormat">, ChatOptions {
  /** What the object must be: a JSON Schema, or a Standard Schema (zod 4, valibot, arktype) that gives one. */
  schema: S;
}

/** What {@link generateObject} returns. */
export interface ObjectResult<T> {
  /** The parsed object, validated against the schema (a Standard Schema's output value). */
  object: T;
  /** The generated JSON text. */
  text: string;
  /** The whole generation result (finish reason, token ids, metrics). */
  result: GenerationResult;
}

const OWN = ["schema"];
const OPTION_NAMES: readonly string[] = [...CHAT_OPTION_NAMES.filter((n) => n !== "responseFormat"), ...OWN];

/**
 * Generates an object that matches a schema: decoding is constrained to the schema's JSON (core's JSON-Schema
 * grammar), then the text is parsed and validated (ajv for a JSON Schema, the schema's own `validate` for a Standard
 * Schema) and returned typed from the schema. A prompt string is continued; messages are answered with the model's
 * chat template. Throws an `InputError` when the schema uses a keyword the engine cannot enforce, when
 * `maxNewTokens` cut the object (raise it), or when a Standard Schema's refinements reject the value.
 *
 * @example
 * import { z } from "zod";
 * const { object } = await generateObject("A person:", { schema: z.object({ name: z.string().max(20), age: z.int().min(0).max(120) }) });
 * object.age; // number
 * const { object: raw } = await generateObject([{ role: "user", content: "List three colours" }], {
 *   schema: { type: "array", items: { type: "string" }, maxItems: 3 },
 * });
 */
export async function generateObject<S extends ObjectSchema>(
  input: string | readonly ChatMessage[],
  options: GenerateObjectOptions<S>,
): Promise<ObjectResult<InferObject<S>>> {
  const { schema, call, prepared } = prepare(input, options, "generateObject()");
  const result = await run(input, call, prepared);
  return finish(result, prepared, schema);
}

/** What {@link streamObject} returns: partial objects as the JSON grows, then the validated object. */
export interface ObjectStream<T> extends AsyncIterable<PartialObject<T>> {
  /** The final object, parsed and validated (rejects as {@link generateObject} throws). */
  readonly object: Promise<T>;
  /** The whole result: object, text and generation result. */
  readonly result: Promise<ObjectResult<T>>;
}

/** A value while it streams: objects with some properties missing, arrays with fewer items, strings cut short. */
export type PartialObject<T> = T extends readonly (infer I)[]
  ? PartialObject<I>[]
  : T extends object
    ? { [K in keyof T]?: PartialObject<T[K]> }
    : T;

/**
 * {@link generateObject}, streamed: iterate it for the object as it is being written (each partial object parsed
 * from the JSON so far, yielded when it changes), and await `object` for the validated result.
 *
 * @example
 * const s = streamObject("A person:", { schema: z.object({ name: z.string(), hobbies: z.array(z.string()).max(3) }) });
 * for await (const partial of s) console.log(partial.hobbies?.length ?? 0);
 * const person = await s.object;
 */
export function streamObject<S extends ObjectSchema>(
  input: string | readonly ChatMessage[],
  options: GenerateObjectOptions<S>,
): ObjectStream<InferObject<S>> {
  const { schema, call, prepared } = prepare(input, options, "streamObject()");
  const stream = new ResultStream<PartialObject<InferObject<S>>, ObjectResult<InferObject<S>>>(async (push) => {
    let text = "";
    let last = "";
    const onPartial = (event: TokenEvent): void => {
      if (event.input !== 0 || event.sequence !== 0) return;
      text += event.text;
      const partial = parsePartialJson(text);
      if (partial === undefined) return;
      const key = JSON.stringify(partial);
      if (key === last) return;
      last = key;
      push(partial as PartialObject<InferObject<S>>);
    };
    const result = await run(input, { ...call, onToken: chainTokenCallbacks(call.onToken, onPartial) }, prepared);
    return finish<S>(result, prepared, schema);
  });
  const object = stream.result.then((r) => r.object);
  object.catch(() => undefined); // a caller that only iterates sees the error there
  return { [Symbol.asyncIterator]: () => stream[Symbol.asyncIterator](), object, result: stream.result };
}

function prepare<S extends ObjectSchema>(
  input: unknown,
  options: GenerateObjectOptions<S>,
  where: string,
): { schema: S; call: Omit<GenerateObjectOptions<S>, "schema">; prepared: PreparedSchema } {
  const { schema, ...call } = checkOptions(options, where, OPTION_NAMES);
  if (schema === undefined) throw new InputError(`${where} needs a schema`, { hint: "pass { schema: z.object({...}) } or a JSON Schema" });
  if (typeof input !== "string" && !Array.isArray(input)) {
    throw new InputError(`${where} expects a prompt string or an array of chat messages, got ${input === null ? "null" : typeof input}`);
  }
  if (typeof input === "string" && (call.chatTemplate !== undefined || call.templateVariables !== undefined)) {
    throw new InputError("chatTemplate and templateVariables apply to chat messages, not to a prompt string", { hint: "pass messages" });
  }
  return { schema, call, prepared: prepareSchema(schema) };
}

async function run(
  input: string | readonly ChatMessage[],
  call: Omit<GenerateObjectOptions<ObjectSchema>, "schema">,
  prepared: PreparedSchema,
): Promise<GenerationResult> {
  const { model, load, ...options } = call;
  const responseFormat = { type: "json_schema" as const, schema: prepared.jsonSchema };
  if (typeof input === "string") {
    const { chatTemplate: _t, templateVariables: _v, ...rest } = options;
    const generator = await generatorFor("generateObject", model, defaultGenerationModel(), load, options.signal);
    return generator.generate(input, { ...rest, responseFormat });
  }
  const generator = await generatorFor("generateObject", model, DEFAULT_CHAT_MODEL, load, options.signal);
  return generator.chat(input, { ...options, responseFormat });
}

async function finish<S extends ObjectSchema>(
  result: GenerationResult,
  prepared: PreparedSchema,
  _schema: S,
): Promise<ObjectResult<InferObject<S>>> {
  if (result.finishReason !== "stop") {
    throw new InputError(
      result.finishReason === "length"
        ? `The object was cut at maxNewTokens (${result.tokenIds.length} tokens) before it was complete`
        : "The generation was aborted before the object was complete",
      {
        hint:
          result.finishReason === "length"
            ? "raise maxNewTokens, or bound the schema (maxLength, maxItems)"
            : "call again without aborting",
      },
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(result.text);
  } catch (error) {
    throw new InputError(`The generated text is not JSON (${(error as Error).message}): ${result.text.slice(0, 200)}`, {
      hint: "a stop string may have cut it: leave out stop with generateObject",
      cause: error,
    });
  }
  const checked = await prepared.validate(parsed);
  if ("issues" in checked) {
    throw new InputError(`The generated object does not match the schema: ${checked.issues.join("; ")}`, {
      hint: "the grammar enforces the JSON Schema; refinements beyond it (custom checks) can still fail: retry with another seed, or relax them",
    });
  }
  return { object: checked.value as InferObject<S>, text: result.text, result };
}
