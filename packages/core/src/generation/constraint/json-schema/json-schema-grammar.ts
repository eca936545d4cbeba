import { InputError } from "../../../errors.js";
import type { JsonSchema } from "../response-format.js";
import { integerRangeEbnf, MAX_INTEGER_DIGITS } from "./integer-range.js";
import { patternEbnf } from "./pattern-ebnf.js";

/** Keywords that only describe (they never change which values are valid). */
const ANNOTATIONS = new Set([
  "$schema",
  "$id",
  "$comment",
  "title",
  "description",
  "default",
  "examples",
  "deprecated",
  "readOnly",
  "writeOnly",
]);

/** The keywords the compiler enforces; any other keyword is refused by name. */
const SUPPORTED = new Set([
  "type",
  "enum",
  "const",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "prefixItems",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "$defs",
  "definitions",
  "$ref",
  "anyOf",
  "oneOf",
  "allOf",
]);

/** Longest `maxLength` compiled as one rule per position; longer bounds use a counted repetition. */
const CHAIN_LIMIT = 64;

/** One unescaped code point of a string. */
const CHAR = '[^"\\\\\\x00-\\x1f]';

/** What may follow a number inside a container, in compact JSON. */
const VALUE_END = "(=[,\\]}])";

const TYPES = ["object", "array", "string", "number", "integer", "boolean", "null"] as const;
type JsonType = (typeof TYPES)[number];

/**
 * The fixed rules every grammar uses: compact JSON (no whitespace), strings without raw control characters (JSON
 * escapes allowed, no lone surrogates). Strings are right-recursive and values inside containers carry a lookahead
 * (`(=[,:\]}])`: what may follow them in compact JSON): in that form XGrammar precomputes their token masks, and a
 * step inside a string costs microseconds instead of the hundreds of milliseconds a `char*` loop costs over a 50k
 * vocabulary. The `_top` variants, without lookahead, are for a value that is the whole output.
 */
const BASE_RULES = [
  'json_value ::= json_object | json_array | json_string | json_number | "true" | "false" | "null"',
  'json_value_top ::= json_object | json_array | json_string_top | json_number_top | "true" | "false" | "null"',
  'json_object ::= "{" (json_string ":" json_value ("," json_string ":" json_value)*)? "}"',
  'json_array ::= "[" (json_value ("," json_value)*)? "]"',
  'json_string ::= "\\"" json_string_rest',
  'json_string_rest ::= ("\\"" | [^"\\\\\\x00-\\x1f] json_string_rest | "\\\\" json_escape json_string_rest) (=[,:\\]}])',
  'json_string_top ::= "\\"" json_string_top_rest',
  'json_string_top_rest ::= "\\"" | [^"\\\\\\x00-\\x1f] json_string_top_rest | "\\\\" json_escape json_string_top_rest',
  // One code point of a length-bounded string: any but a quote, a backslash or a control character, or an escape.
  'json_char ::= [^"\\\\\\x00-\\x1f] | "\\\\" json_escape',
  'json_escape ::= ["\\\\/bfnrt] | "u" json_hex_char',
  "json_hex_char ::= [0-9a-cA-CefEF] [0-9a-fA-F]{3} | [dD] [0-7] [0-9a-fA-F]{2}",
  `json_int_body ::= "-"? ("0" | [1-9] [0-9]{0,${MAX_INTEGER_DIGITS - 1}})`,
  `json_number_body ::= json_int_body ("." [0-9]{1,${MAX_INTEGER_DIGITS}})? ([eE] [-+]? [0-9]{1,2})?`,
  `json_int ::= json_int_body ${VALUE_END}`,
  `json_number ::= json_number_body ${VALUE_END}`,
  "json_int_top ::= json_int_body",
  "json_number_top ::= json_number_body",
];

/**
 * Compiles a JSON Schema to an EBNF grammar (XGrammar's dialect, root rule `root`) whose every sentence is compact
 * JSON that validates against the schema. Supported: `type` (one or a list, so nullable types), `enum`, `const`,
 * objects (`properties` in declared order, `required`, `additionalProperties`), arrays (`items`, `prefixItems`,
 * `minItems`, `maxItems`), strings (`minLength`, `maxLength`, `pattern` (see {@link patternEbnf}); no raw control
 * characters, JSON escapes allowed),
 * integers with exact `minimum`/`maximum`/`exclusive*` ranges, numbers with integer bounds, `$defs`/`definitions`
 * with local `$ref`s (recursion too), `anyOf`, `oneOf` (as a choice; overlapping branches are the schema's matter),
 * `allOf` of one schema. Annotations (`title`, `description`, ...) are ignored. Any other keyword throws an
 * {@link InputError} that names it and where it is, so a schema is never silently left unenforced.
 *
 * Object properties the schema does not require are optional in the grammar; extra properties
 * (`additionalProperties` true or a schema) are generated only for objects that declare no `properties`.
 *
 * @example
 * jsonSchemaToEbnf({ type: "object", properties: { age: { type: "integer", minimum: 0, maximum: 120 } }, required: ["age"] });
 * // 'root ::= "{" "\"age\":" r1 "}"\nr1 ::= ...'
 */
export function jsonSchemaToEbnf(schema: JsonSchema, where = "responseFormat.schema"): string {
  return new SchemaCompiler(schema, where).compile();
}

class SchemaCompiler {
  readonly #root: JsonSchema;
  readonly #where: string;
  readonly #rules: string[] = [];
  readonly #refs = new Map<string, string>();
  #count = 0;
  #topRefs = 0;
  readonly #strings = new Map<string, string>();

  constructor(root: JsonSchema, where: string) {
    this.#root = root;
    this.#where = where;
  }

  compile(): string {
    const body = this.#schema(this.#root, this.#where, true);
    return [`root ::= ${body}`, ...this.#rules, ...BASE_RULES].join("\n");
  }

  #rule(body: string): string {
    const name = `r${++this.#count}`;
    this.#rules.push(`${name} ::= ${body}`);
    return name;
  }

  #fail(path: string, message: string, hint?: string): never {
    throw new InputError(`${path}: ${message}`, { hint: hint ?? "remove it, or check the result yourself after an unconstrained run" });
  }

  /**
   * EBNF for the values `schema` allows (an expression; complex parts become rules). `top`: the value is the whole
   * output (strings and numbers then end without the lookahead of values inside containers).
   */
  #schema(schema: JsonSchema, path: string, top = false): string {
    if (schema === true) return top ? "json_value_top" : "json_value";
    if (schema === false) this.#fail(path, "the schema false allows no value", "use a schema that allows a value");
    if (schema === null || typeof schema !== "object" || Array.isArray(schema))
      this.#fail(path, `expected a schema object, got ${describe(schema)}`);
    for (const key of Object.keys(schema)) {
      if (!SUPPORTED.has(key) && !ANNOTATIONS.has(key)) {
        this.#fail(`${path}`, `keyword "${key}" is not supported by constrained decoding`);
      }
    }
    const s = schema as Record<string, unknown>;
    if (s.$ref !== undefined) {
      if (Object.keys(s).some((k) => k !== "$ref" && !ANNOTATIONS.has(k) && k !== "$defs" && k !== "definitions")) {
        this.#fail(path, `"$ref" beside other keywords is not supported`, "move the other keywords into the referenced schema");
      }
      if (top) {
        // The whole output: compiled in place with top-level endings (a shared rule ends as inside a container).
        if (++this.#topRefs > 16) this.#fail(path, "a chain of more than 16 top-level $refs is not supported");
        return this.#schema(this.#target(s.$ref, `${path}.$ref`), `${this.#where}${String(s.$ref).slice(1).replaceAll("/", ".")}`, true);
      }
      return this.#ref(s.$ref, `${path}.$ref`);
    }
    if (s.allOf !== undefined) {
      if (!Array.isArray(s.allOf) || s.allOf.length !== 1) this.#fail(`${path}.allOf`, 'keyword "allOf" is supported with one schema only');
      const rest = Object.fromEntries(Object.entries(s).filter(([k]) => k !== "allOf"));
      if (Object.keys(rest).some((k) => !ANNOTATIONS.has(k) && k !== "$defs" && k !== "definitions")) {
        this.#fail(path, '"allOf" beside other keywords is not supported');
      }
      return this.#schema(s.allOf[0] as JsonSchema, `${path}.allOf[0]`, top);
    }
    for (const key of ["anyOf", "oneOf"] as const) {
      if (s[key] === undefined) continue;
      const list = s[key];
      if (!Array.isArray(list) || list.length === 0) this.#fail(`${path}.${key}`, `"${key}" must be a non-empty array of schemas`);
      if (Object.keys(s).some((k) => k !== key && !ANNOTATIONS.has(k) && k !== "$defs" && k !== "definitions")) {
        this.#fail(path, `"${key}" beside other keywords is not supported`, `move the other keywords into each branch of "${key}"`);
      }
      return this.#rule(list.map((branch, i) => this.#schema(branch as JsonSchema, `${path}.${key}[${i}]`, top)).join(" | "));
    }
    const types = this.#types(s.type, path);
    if (s.const !== undefined) return literal(JSON.stringify(s.const));
    if (s.enum !== undefined) {
      if (!Array.isArray(s.enum) || s.enum.length === 0) this.#fail(`${path}.enum`, '"enum" must be a non-empty array');
      const values = s.enum.filter(
        (v) => types === undefined || types.includes(typeOf(v)) || (types.includes("number") && typeOf(v) === "integer"),
      );
      if (values.length === 0) this.#fail(`${path}.enum`, "no value of the enum has the schema's type");
      return this.#rule(values.map((v) => literal(JSON.stringify(v))).join(" | "));
    }
    const alternatives = (types ?? inferTypes(s)).map((type) => this.#typed(type, s, path, top));
    return alternatives.length === 1 ? (alternatives[0] as string) : this.#rule(alternatives.join(" | "));
  }

  #types(value: unknown, path: string): JsonType[] | undefined {
    if (value === undefined) return undefined;
    const list = Array.isArray(value) ? value : [value];
    for (const t of list) {
      if (!TYPES.includes(t as JsonType)) this.#fail(`${path}.type`, `unknown type ${describe(t)} (one of ${TYPES.join(", ")})`);
    }
    return [...new Set(list as JsonType[])].filter((t) => !(t === "integer" && list.includes("number")));
  }

  #typed(type: JsonType, s: Record<string, unknown>, path: string, top: boolean): string {
    switch (type) {
      case "null":
        return '"null"';
      case "boolean":
        return '("true" | "false")';
      case "string":
        return this.#string(s, path, top);
      case "integer":
      case "number":
        return this.#number(type, s, path, top);
      case "array":
        return this.#array(s, path);
      case "object":
        return this.#object(s, path);
    }
  }

  #target(ref: unknown, path: string): JsonSchema {
    if (typeof ref !== "string") this.#fail(path, `"$ref" must be a string, got ${describe(ref)}`);
    return ref === "#" ? this.#root : this.#resolve(ref, path);
  }

  #ref(ref: unknown, path: string): string {
    const target = this.#target(ref, path);
    const known = this.#refs.get(ref as string);
    if (known) return known;
    const name = `r${++this.#count}`;
    this.#refs.set(ref as string, name);
    // The rule is declared before its body is compiled, so recursive schemas refer to it.
    const index = this.#rules.push("") - 1;
    this.#rules[index] = `${name} ::= ${this.#schema(target, `${this.#where}${(ref as string).slice(1).replaceAll("/", ".")}`)}`;
    return name;
  }

  #resolve(ref: string, path: string): JsonSchema {
    const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
    if (!match) this.#fail(path, `only local references like "#/$defs/Name" (or "#") are supported, got ${JSON.stringify(ref)}`);
    const defs = typeof this.#root === "object" ? (this.#root as Record<string, unknown>)[match[1] as string] : undefined;
    const name = decodeURIComponent((match[2] as string).replaceAll("~1", "/").replaceAll("~0", "~"));
    const target = defs && typeof defs === "object" ? (defs as Record<string, unknown>)[name] : undefined;
    if (target === undefined) this.#fail(path, `${JSON.stringify(ref)} points to no schema`);
    return target as JsonSchema;
  }

  #string(s: Record<string, unknown>, path: string, top: boolean): string {
    const min = this.#count_("minLength", s.minLength, path) ?? 0;
    const max = this.#count_("maxLength", s.maxLength, path);
    if (max !== undefined && max < min) this.#fail(path, `maxLength ${max} is below minLength ${min}`);
    if (s.pattern !== undefined) return this.#pattern(s, path, top);
    if (min === 0 && max === undefined) return top ? "json_string_top" : "json_string";
    const end = top ? "" : " (=[,:\\]}])";
    const key = `${min},${max ?? ""},${top}`;
    const known = this.#strings.get(key);
    if (known) return known;
    let first: string;
    if (max !== undefined && max <= CHAIN_LIMIT) {
      // One right-recursive rule per position (what XGrammar masks fast): s_k has read k code points.
      const names = Array.from({ length: max + 1 }, () => `r${++this.#count}`);
      names.forEach((name, k) => {
        const next = names[k + 1];
        const close = k >= min ? ['"\\""'] : [];
        const more = next ? [`${CHAR} ${next}`, `"\\\\" json_escape ${next}`] : [];
        this.#rules.push(`${name} ::= (${[...close, ...more].join(" | ")})${end}`);
      });
      first = names[0] as string;
    } else {
      // Long bounds: a counted repetition (correct, but XGrammar compiles and masks it slowly).
      first = this.#rule(`json_char{${min},${max ?? ""}} "\\""${end}`);
    }
    const expression = `"\\"" ${first}`;
    this.#strings.set(key, expression);
    return expression;
  }

  #pattern(s: Record<string, unknown>, path: string, top: boolean): string {
    if (typeof s.pattern !== "string") this.#fail(`${path}.pattern`, `must be a string, got ${describe(s.pattern)}`);
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      this.#fail(path, '"pattern" together with "minLength"/"maxLength" is not supported', "express the length in the pattern ({m,n})");
    }
    let body: string;
    try {
      body = patternEbnf(s.pattern, "json_char");
    } catch (error) {
      this.#fail(
        `${path}.pattern`,
        `${(error as Error).message} by constrained decoding`,
        "use plain classes, groups, alternation and quantifiers",
      );
    }
    return top ? `"\\"" ${body} "\\""` : this.#rule(`"\\"" ${body} "\\"" (=[,:\\]}])`);
  }

  #count_(name: string, value: unknown, path: string): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      this.#fail(`${path}.${name}`, `must be a non-negative integer, got ${describe(value)}`);
    return value;
  }

  #number(type: "integer" | "number", s: Record<string, unknown>, path: string, top: boolean): string {
    const bound = (name: string): number | undefined => {
      const v = s[name];
      if (v === undefined) return undefined;
      if (typeof v !== "number" || !Number.isFinite(v)) this.#fail(`${path}.${name}`, `must be a number, got ${describe(v)}`);
      if (type === "number" && !Number.isInteger(v)) {
        this.#fail(`${path}.${name}`, `a non-integer bound (${v}) on a "number" is not supported`, 'use integer bounds, or type "integer"');
      }
      return v;
    };
    const minimum = bound("minimum");
    const maximum = bound("maximum");
    const exMin = bound("exclusiveMinimum");
    const exMax = bound("exclusiveMaximum");
    if (minimum === undefined && maximum === undefined && exMin === undefined && exMax === undefined) {
      return `${type === "integer" ? "json_int" : "json_number"}${top ? "_top" : ""}`;
    }
    // Integer bounds of integers: exclusive bounds become inclusive ones.
    const lo = Math.max(
      minimum !== undefined ? Math.ceil(minimum) : Number.NEGATIVE_INFINITY,
      exMin !== undefined ? Math.floor(exMin) + 1 : Number.NEGATIVE_INFINITY,
    );
    const hi = Math.min(
      maximum !== undefined ? Math.floor(maximum) : Number.POSITIVE_INFINITY,
      exMax !== undefined ? Math.ceil(exMax) - 1 : Number.POSITIVE_INFINITY,
    );
    if (lo > hi) this.#fail(path, `no integer lies within the bounds [${lo}, ${hi}]`);
    const integers = integerRangeEbnf(lo, hi);
    const end = (body: string): string => this.#rule(top ? body : `(${body}) ${VALUE_END}`);
    if (type === "integer") return end(integers);
    // A fraction keeps the value within bounds when the integer part k is in [lo, hi - 1] (k >= 0: the value is in
    // [k, k + 1)) or in [lo + 1, hi] (k < 0: the value is in (k - 1, k]); exclusive bounds are met since k is strict.
    const fraction = `"." [0-9]{1,${MAX_INTEGER_DIGITS}}`;
    const parts = [integers];
    const posLo = Math.max(lo, 0);
    const posHi = hi - 1;
    if (posLo <= posHi) parts.push(`${integerRangeEbnf(posLo, posHi)} ${fraction}`);
    const negLo = lo + 1;
    const negHi = Math.min(hi, -1);
    if (negLo <= negHi) parts.push(`${integerRangeEbnf(negLo, negHi)} ${fraction}`);
    return end(parts.join(" | "));
  }

  #array(s: Record<string, unknown>, path: string): string {
    const min = this.#count_("minItems", s.minItems, path) ?? 0;
    const max = this.#count_("maxItems", s.maxItems, path);
    if (max !== undefined && max < min) this.#fail(path, `maxItems ${max} is below minItems ${min}`);
    const prefix = s.prefixItems === undefined ? [] : s.prefixItems;
    if (!Array.isArray(prefix)) this.#fail(`${path}.prefixItems`, `must be an array of schemas, got ${describe(prefix)}`);
    const head = prefix.map((item, i) => this.#schema(item as JsonSchema, `${path}.prefixItems[${i}]`));
    if (max !== undefined && head.length > max) this.#fail(path, `maxItems ${max} is below the ${head.length} prefixItems`);
    const itemSchema = (s.items ?? true) as JsonSchema;
    const tailMin = Math.max(0, min - head.length);
    const tailMax = max === undefined ? undefined : max - head.length;
    const tailAllowed = itemSchema !== false && tailMax !== 0;
    if (!tailAllowed && tailMin > 0) this.#fail(path, `minItems ${min} needs more items than the schema allows`);
    const item = tailAllowed ? this.#schema(itemSchema, `${path}.items`) : "";
    if (head.length === 0) {
      if (!tailAllowed) return '"[" "]"';
      const more = repeat(`"," ${item}`, Math.max(0, tailMin - 1), tailMax === undefined ? undefined : tailMax - 1);
      const list = `${item}${more ? ` ${more}` : ""}`;
      return this.#rule(tailMin === 0 ? `"[" (${list})? "]"` : `"[" ${list} "]"`);
    }
    const tail = tailAllowed ? repeat(`"," ${item}`, tailMin, tailMax) : "";
    return this.#rule(`"[" ${head.join(' "," ')}${tail ? ` ${tail}` : ""} "]"`);
  }

  #object(s: Record<string, unknown>, path: string): string {
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    if (typeof properties !== "object" || properties === null || Array.isArray(properties)) {
      this.#fail(`${path}.properties`, `must be an object of schemas, got ${describe(properties)}`);
    }
    const required = (s.required ?? []) as unknown;
    if (!Array.isArray(required) || required.some((r) => typeof r !== "string")) {
      this.#fail(`${path}.required`, "must be an array of property names");
    }
    const additional = (s.additionalProperties ?? true) as JsonSchema;
    const names = Object.keys(properties);
    for (const name of required as string[]) {
      if (names.includes(name)) continue;
      if (additional === false)
        this.#fail(`${path}.required`, `"${name}" is required but not allowed (not in properties, additionalProperties false)`);
      names.push(name);
    }
    if (names.length === 0) {
      if (additional === false) return '"{" "}"';
      const value = this.#schema(additional, `${path}.additionalProperties`);
      const pair = `json_string ":" ${value}`;
      return this.#rule(`"{" (${pair} ("," ${pair})*)? "}"`);
    }
    const pairs = names.map((name) => {
      const schema = properties[name] ?? (additional === false ? true : additional);
      return `${literal(`${JSON.stringify(name)}:`)} ${this.#schema(schema, `${path}.properties.${name}`)}`;
    });
    const isRequired = names.map((name) => (required as string[]).includes(name));
    // after[i]: the properties from i on, once one is written (each is preceded by a comma).
    const after: string[] = new Array(names.length + 1).fill("");
    for (let i = names.length - 1; i >= 0; i--) {
      const item = `"," ${pairs[i]}`;
      const part = isRequired[i] ? item : `(${item})?`;
      after[i] = after[i + 1] ? this.#rule(`${part} ${after[i + 1]}`) : this.#rule(part);
    }
    // first[i]: the properties from i on when none is written yet.
    let first = "";
    for (let i = names.length - 1; i >= 0; i--) {
      const own = `${pairs[i]}${after[i + 1] ? ` ${after[i + 1]}` : ""}`;
      first = isRequired[i] ? this.#rule(own) : this.#rule(first ? `${own} | ${first}` : `(${own})?`);
    }
    return this.#rule(`"{" ${first} "}"`);
  }
}

/** `item` repeated between `min` and `max` times (unbounded without `max`). */
function repeat(item: string, min: number, max: number | undefined): string {
  if (max !== undefined && max <= 0) return "";
  if (min === 0 && max === undefined) return `(${item})*`;
  return `(${item}){${min},${max ?? ""}}`;
}

function inferTypes(s: Record<string, unknown>): JsonType[] {
  if (s.properties !== undefined || s.required !== undefined || s.additionalProperties !== undefined) return ["object"];
  if (s.items !== undefined || s.prefixItems !== undefined || s.minItems !== undefined || s.maxItems !== undefined) return ["array"];
  if (s.minLength !== undefined || s.maxLength !== undefined) return ["string"];
  if (s.minimum !== undefined || s.maximum !== undefined || s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined)
    return ["number"];
  return ["object", "array", "string", "number", "boolean", "null"];
}

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value as JsonType;
}

/** An EBNF string literal for `text`. */
export function literal(text: string): string {
  return `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n").replaceAll("\r", "\\r").replaceAll("\t", "\\t")}"`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : JSON.stringify(value);
}
