import { describe, expect, it } from "vitest";
import { InputError } from "../../../src/index.js";
import { compileResponseFormat, loadXGrammar } from "../../../src/internal.js";
import { decoderFixture } from "../engine-helpers.js";

describe("XGrammar loader (the UMD bundle evaluated as CommonJS)", () => {
  it("loads the engine once and compiles a grammar that masks tokens", async () => {
    const xg = loadXGrammar();
    expect(loadXGrammar()).toBe(xg);
    const info = await xg.TokenizerInfo.createTokenizerInfo(["a", "b", "ab", ""], "raw", false, 4, [3]);
    const compiler = await xg.GrammarCompiler.createGrammarCompiler(info, false);
    const compiled = await compiler.compileGrammar('root ::= "ab" "b"?', "root");
    const matcher = await xg.GrammarMatcher.createGrammarMatcher(compiled, [3]);
    const allowed = (mask: Int32Array): number[] => [0, 1, 2, 3].filter((i) => ((mask[0] as number) & (1 << i)) !== 0);
    expect(allowed(await matcher.getNextTokenBitmask())).toEqual([0, 2]);
    expect(matcher.acceptToken(2)).toBe(true);
    expect(allowed(await matcher.getNextTokenBitmask())).toEqual([1, 3]);
    expect(matcher.acceptToken(3)).toBe(true);
    expect(matcher.isTerminated()).toBe(true);
    for (const x of [matcher, compiled, compiler, info]) x.dispose();
  });

  it("turns the engine's refusal of a grammar or a regular expression into an InputError with its message", async () => {
    const model = await decoderFixture("gpt2");
    try {
      const bad = compileResponseFormat(model.tokenizer, { type: "grammar", grammar: 'root ::= "a" | foo' });
      await expect(bad).rejects.toThrow(InputError);
      await expect(bad).rejects.toThrow(/responseFormat.grammar .*Rule "foo" is not defined/);
      await expect(compileResponseFormat(model.tokenizer, { type: "regex", pattern: "a(b" })).rejects.toThrow(/parenthesis is not closed/);
      // The engine stays usable after a refusal.
      const ok = await compileResponseFormat(model.tokenizer, { type: "regex", pattern: "[0-9]+" });
      expect(ok.source).toBe("[0-9]+");
    } finally {
      await model.dispose();
    }
  });
});
