import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { engineCall } from "./engine-errors.js";
import { jsonSchemaToEbnf } from "./json-schema/json-schema-grammar.js";
import type { ResponseFormat } from "./response-format.js";
import { RowConstraint } from "./row-constraint.js";
import { Utf8Guard } from "./utf8-guard.js";
import { loadXGrammar, type XgCompiledGrammar, type XgGrammarCompiler } from "./xgrammar.js";

/** A response format that constrains (everything but `{ type: "text" }`). */
export type ActiveResponseFormat = Exclude<ResponseFormat, { type: "text" }>;

/** Most compiled grammars kept per tokenizer (least recently used ones are dropped). */
const CACHE_SIZE = 64;

interface TokenizerEntry {
  compiler: Promise<XgGrammarCompiler>;
  grammars: Map<string, Promise<CompiledGrammar>>;
}

const byTokenizer = new WeakMap<Tokenizer, TokenizerEntry>();

/**
 * A response format compiled against one tokenizer's vocabulary: what each constrained row's matcher is made from.
 * Compiling is the slow part (a JSON schema over a 50k vocabulary takes a few hundred ms); matchers are cheap.
 *
 * @example
 * const grammar = await compileResponseFormat(tokenizer, { type: "json_object" });
 * const row = await grammar.matcher([eosId]);
 */
export class CompiledGrammar {
  /** The EBNF (or regular expression) handed to XGrammar, for diagnostics. */
  readonly source: string;
  readonly #compiled: XgCompiledGrammar;
  readonly #utf8: Utf8Guard | undefined;

  /** `utf8`: the vocabulary's guard, which keeps every row's output valid UTF-8. */
  constructor(compiled: XgCompiledGrammar, source: string, utf8?: Utf8Guard) {
    this.#compiled = compiled;
    this.source = source;
    this.#utf8 = utf8;
  }

  /**
   * A fresh matcher at the start of the grammar. `stopTokens` are the ids that end the text (the model's
   * end-of-sequence ids): the matcher allows them only where the grammar is complete, and only them at its end.
   * With no stop token, the row ends by itself when the grammar is complete and allows nothing more.
   */
  async matcher(stopTokens: readonly number[]): Promise<RowConstraint> {
    const xg = loadXGrammar();
    const stops = stopTokens.length > 0 ? [...stopTokens] : undefined;
    const open = () => xg.GrammarMatcher.createGrammarMatcher(this.#compiled, stops, stops === undefined);
    return new RowConstraint(await open(), open, this.#utf8);
  }

  /** Frees the engine's copy (matchers made from it keep theirs). */
  dispose(): void {
    this.#compiled.dispose();
  }
}

/**
 * Compiles a response format for a tokenizer, cached per (format, tokenizer): the tokenizer's vocabulary is handed
 * to XGrammar once (byte-level BPE or SentencePiece byte conventions, special tokens never allowed as text), and
 * each distinct format is compiled once. JSON schemas go through {@link jsonSchemaToEbnf}; `json_object` is the
 * schema `{ type: "object" }`; a regular expression and an EBNF grammar go to XGrammar as they are. A format the
 * engine rejects throws an {@link InputError} with its message.
 *
 * @example
 * const grammar = await compileResponseFormat(tokenizer, { type: "regex", pattern: "[0-9]{3}" });
 */
export async function compileResponseFormat(tokenizer: Tokenizer, format: ActiveResponseFormat): Promise<CompiledGrammar> {
  let entry = byTokenizer.get(tokenizer);
  if (!entry) {
    entry = { compiler: createCompiler(tokenizer), grammars: new Map() };
    byTokenizer.set(tokenizer, entry);
  }
  const key = JSON.stringify(format);
  const cached = entry.grammars.get(key);
  if (cached) {
    entry.grammars.delete(key);
    entry.grammars.set(key, cached);
    return cached;
  }
  const compiling = compile(await entry.compiler, format, Utf8Guard.of(tokenizer.vocabulary()));
  entry.grammars.set(key, compiling);
  compiling.catch(() => entry.grammars.delete(key));
  if (entry.grammars.size > CACHE_SIZE) {
    const [oldest] = entry.grammars.keys();
    if (oldest !== undefined) {
      const dropped = entry.grammars.get(oldest);
      entry.grammars.delete(oldest);
      dropped?.then((g) => g.dispose()).catch(() => undefined);
    }
  }
  return compiling;
}

async function createCompiler(tokenizer: Tokenizer): Promise<XgGrammarCompiler> {
  const xg = loadXGrammar();
  const { tokens, encoding, prependSpace } = tokenizer.vocabulary();
  const eos = tokenizer.specialIds.eos;
  const info = await xg.TokenizerInfo.createTokenizerInfo(tokens, encoding, prependSpace, tokens.length, eos !== undefined ? [eos] : []);
  return xg.GrammarCompiler.createGrammarCompiler(info, true);
}

async function compile(compiler: XgGrammarCompiler, format: ActiveResponseFormat, utf8: Utf8Guard): Promise<CompiledGrammar> {
  switch (format.type) {
    case "regex": {
      const compiled = await engineCall("responseFormat.pattern", () =>
        compiler.compileStructuralTag({ type: "structural_tag", format: { type: "regex", pattern: format.pattern } }),
      );
      return new CompiledGrammar(compiled, format.pattern, utf8);
    }
    case "grammar": {
      const compiled = await engineCall(
        "responseFormat.grammar",
        () => compiler.compileGrammar(format.grammar, "root"),
        "check the EBNF: rules `name ::= ...`, a `root` rule, strings in double quotes",
      );
      return new CompiledGrammar(compiled, format.grammar, utf8);
    }
    default: {
      const schema = format.type === "json_schema" ? format.schema : { type: "object" };
      const ebnf = jsonSchemaToEbnf(schema);
      const compiled = await engineCall("responseFormat.schema", () => compiler.compileGrammar(ebnf, "root"));
      return new CompiledGrammar(compiled, ebnf, utf8);
    }
  }
}
