import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { ModelFormatError } from "../../errors.js";

/** The bitmask of allowed tokens for one step: bit `i % 32` of word `i >> 5` is set when token `i` is allowed. */
export type TokenBitmask = Int32Array;

/** XGrammar's tokenizer description (vocabulary, its encoding, stop tokens). */
export interface XgTokenizerInfo {
  getVocabSize(): number;
  dispose(): void;
}

/** A grammar compiled against one tokenizer: what matchers are made from. */
export interface XgCompiledGrammar {
  dispose(): void;
}

/** XGrammar's grammar compiler for one tokenizer. */
export interface XgGrammarCompiler {
  compileGrammar(grammar: string, rootRule?: string): Promise<XgCompiledGrammar>;
  compileBuiltinJSONGrammar(): Promise<XgCompiledGrammar>;
  compileStructuralTag(tag: { type: "structural_tag"; format: { type: "regex"; pattern: string } }): Promise<XgCompiledGrammar>;
  dispose(): void;
}

/** One matcher: the state of one sequence inside a compiled grammar. */
export interface XgGrammarMatcher {
  acceptToken(tokenId: number, verbose?: boolean): boolean;
  getNextTokenBitmask(): Promise<TokenBitmask>;
  isTerminated(): boolean;
  findJumpForwardString(): string;
  rollBack(numTokens: number): void;
  reset(): void;
  dispose(): void;
}

/** The part of `@mlc-ai/web-xgrammar` the engine uses. */
export interface XGrammar {
  TokenizerInfo: {
    createTokenizerInfo(
      encodedVocab: string[],
      vocabType?: string,
      prependSpaceInTokenization?: boolean,
      vocabSize?: number,
      stopTokenIds?: number[] | number,
    ): Promise<XgTokenizerInfo>;
  };
  GrammarCompiler: { createGrammarCompiler(info: XgTokenizerInfo, cacheEnabled?: boolean): Promise<XgGrammarCompiler> };
  GrammarMatcher: {
    createGrammarMatcher(
      compiled: XgCompiledGrammar,
      overrideStopTokens?: number[] | number,
      terminateWithoutStopToken?: boolean,
      maxRollbackTokens?: number,
    ): Promise<XgGrammarMatcher>;
  };
  Grammar: { fromEBNF(ebnf: string, rootRule?: string): Promise<{ toString(): string; dispose(): void }> };
}

let loaded: XGrammar | undefined;
let listener: ((line: string) => void) | undefined;

/**
 * Routes what XGrammar prints on its error channel (its `[FATAL] ...` reports) to `onLine` until the returned
 * function is called; without a listener, the lines go to `console.error` as before.
 *
 * @example
 * const stop = listenToEngine((line) => lines.push(line));
 * try { await compile(); } finally { stop(); }
 */
export function listenToEngine(onLine: (line: string) => void): () => void {
  const previous = listener;
  listener = onLine;
  return () => {
    listener = previous;
  };
}

function printErr(...args: unknown[]): void {
  const line = args.map(String).join(" ");
  if (listener) listener(line);
  else console.error(line);
}

/**
 * Loads XGrammar (`@mlc-ai/web-xgrammar`), the grammar engine behind constrained decoding, once per process.
 *
 * The package is a UMD bundle (an Emscripten build with its WebAssembly inlined) whose package.json says
 * `"type": "module"`: Node's ESM loader then reads it as an ES module, where its `exports`/`require` branch cannot run,
 * and `require()` refuses it for the same reason. This module is the one place that works around it: it reads the
 * bundle's source and evaluates it as the CommonJS module it really is, with its own `module`, `exports`, `require`
 * and `__filename`. Its one dynamic `import("module")` becomes `require("module")`, so the bundle needs no ESM loader
 * at all (code evaluated by `new Function` has none under test runners' VM contexts), and its error channel is routed
 * through {@link listenToEngine}. The WebAssembly instance itself
 * starts lazily, on the first call into the engine.
 *
 * @example
 * const xg = loadXGrammar();
 * const info = await xg.TokenizerInfo.createTokenizerInfo(vocab, "byte_level", false, vocab.length, [eosId]);
 */
export function loadXGrammar(): XGrammar {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require.resolve("@mlc-ai/web-xgrammar/lib/index.js");
  } catch (error) {
    throw new ModelFormatError("Constrained decoding needs the package @mlc-ai/web-xgrammar, which is not installed", {
      hint: "install the dependencies of @proj/core again (npm install)",
      cause: error,
    });
  }
  const module = { exports: {} as Record<string, unknown> };
  const source = readFileSync(path, "utf8")
    .replaceAll("import('module')", "Promise.resolve(require('module'))")
    .replace('var err=Module["printErr"]||console.error.bind(console);', "var err=__printErr;");
  // Evaluating the installed UMD bundle as CommonJS is the point of this module (see above).
  const factory = new Function("exports", "module", "require", "__filename", "__dirname", "__printErr", source) as (
    exports: Record<string, unknown>,
    module: { exports: Record<string, unknown> },
    require: NodeJS.Require,
    filename: string,
    dirname: string,
    printErr: (...args: unknown[]) => void,
  ) => void;
  factory(module.exports, module, createRequire(path), path, dirname(path), printErr);
  loaded = module.exports as unknown as XGrammar;
  return loaded;
}
