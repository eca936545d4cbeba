import { describe, expect, it } from "vitest";
import { chooseSampling, resolveDecodingOptions } from "../../src/internal.js";

const limits = { vocabSize: 100, eosTokenIds: [0] };

describe("one sampling rule (OpenAI's, as the wire format carries it)", () => {
  it("a positive temperature samples and temperature 0 is greedy, whatever the generation config says", () => {
    expect(resolveDecodingOptions({}, { temperature: 1.3 }, limits, 1).doSample).toBe(true);
    expect(resolveDecodingOptions({ doSample: true }, { temperature: 0 }, limits, 1).doSample).toBe(false);
  });

  it("topP, topK above 0 and minP above 0 sample; topK 0 and minP 0 do not", () => {
    expect(chooseSampling({ topP: 0.9 }, {})).toBe(true);
    expect(chooseSampling({ topK: 5 }, {})).toBe(true);
    expect(chooseSampling({ minP: 0.1 }, {})).toBe(true);
    expect(chooseSampling({ topK: 0, minP: 0 }, {})).toBe(false);
  });

  it("doSample, when given, wins; without any of these options the generation config decides", () => {
    expect(chooseSampling({ doSample: false, temperature: 1.3, topP: 0.5 }, {})).toBe(false);
    expect(chooseSampling({ doSample: true, temperature: 0 }, {})).toBe(true);
    expect(chooseSampling({}, { doSample: true })).toBe(true);
    expect(chooseSampling({ maxNewTokens: 5 }, {})).toBe(false);
  });

  it("beam search does not infer sampling (temperature with beams stays beam search, not an error)", () => {
    expect(chooseSampling({ numBeams: 4, temperature: 0.7 }, {})).toBe(false);
    expect(chooseSampling({ temperature: 0.7 }, { numBeams: 4 })).toBe(false);
    expect(resolveDecodingOptions({ numBeams: 4 }, { temperature: 0.7 }, limits, 1).numBeams).toBe(4);
  });
});
