import type { StandardJSONSchemaV1, StandardSchemaV1 } from "@standard-schema/spec";
import { InputError, type JsonSchema } from "@proj/core";
import { Ajv, type ValidateFunction } from "ajv";

/** A JSON Schema given as an object (draft 2020-12 keywords; see core's JSON-Schema compiler for what it enforces). */
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

/**
 * The schema of {@link generateObject}: a JSON Schema object, or a Standard Schema (zod 4, valibot, arktype, ...)
 * that can give its JSON Schema (`~standard.jsonSchema`, the Standard JSON Schema interface zod 4 and arktype
 * implement; valibot through `@valibot/to-json-schema`'s `toStandardJsonSchema`).
 */
export type ObjectSchema = JsonSchemaObject | StandardSchemaV1;

/** The object type a schema describes: a Standard Schema's output type, `unknown` for a JSON Schema. */
export type InferObject<S> = S extends StandardSchemaV1<unknown, infer Output> ? Output : unknown;

/** What {@link generateObject} needs from a schema: the JSON Schema to constrain with, and a validator. */
export interface PreparedSchema {
  /** The JSON Schema the output is constrained to. */
  jsonSchema: JsonSchema;
  /** Validates a parsed value: the validated value (a Standard Schema's output), or the issues. */
  validate(value: unknown): Promise<{ value: unknown } | { issues: string[] }>;
}

const ajv = new Ajv({ strict: false, allErrors: true });
const compiled = new WeakMap<object, ValidateFunction>();

/**
 * Reads a schema given to {@link generateObject}: a Standard Schema gives its JSON Schema (draft 2020-12) and
 * validates with its own `validate`; a JSON Schema validates with ajv. Throws an `InputError` for anything else, or
 * for a Standard Schema that cannot give a JSON Schema.
 *
 * @example
 * const { jsonSchema, validate } = prepareSchema(z.object({ name: z.string() }));
 * @internal
 */
export function prepareSchema(schema: unknown): PreparedSchema {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) {
    throw new InputError(`schema must be a JSON Schema object or a Standard Schema (zod, valibot, arktype), got ${describe(schema)}`);
  }
  const standard = (schema as Partial<StandardSchemaV1>)["~standard"];
  if (standard && typeof standard === "object" && typeof standard.validate === "function") {
    const converter = (standard as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
    if (!converter || typeof converter.output !== "function") {
      throw new InputError(`The ${standard.vendor} schema cannot give a JSON Schema (it has no ~standard.jsonSchema)`, {
        hint: "use a library version that implements Standard JSON Schema (zod 4.2+, arktype), wrap it (valibot: toStandardJsonSchema), or pass a JSON Schema",
      });
    }
    const jsonSchema = converter.output({ target: "draft-2020-12" }) as JsonSchema;
    return {
      jsonSchema,
      async validate(value) {
        const result = await standard.validate(value);
        if (result.issues)
          return {
            issues: result.issues.map(
              (i) =>
                `${(i.path ?? []).map((p) => (typeof p === "object" ? String(p.key) : String(p))).join(".") || "(root)"}: ${i.message}`,
            ),
          };
        return { value: result.value };
      },
    };
  }
  let validator = compiled.get(schema);
  if (!validator) {
    try {
      validator = ajv.compile(schema);
    } catch (error) {
      throw new InputError(`schema is not a valid JSON Schema: ${(error as Error).message}`, { cause: error });
    }
    compiled.set(schema, validator);
  }
  const check = validator;
  return {
    jsonSchema: schema as JsonSchema,
    async validate(value) {
      if (check(value)) return { value };
      return { issues: (check.errors ?? []).map((e) => `${e.instancePath || "(root)"}: ${e.message ?? e.keyword}`) };
    },
  };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}
