import { describe, expect, it } from "vitest";
import {
  badWords,
  buildProcessors,
  forcedToken,
  minNewTokens,
  noRepeatNgram,
  presenceFrequencyPenalty,
  repetitionPenalty,
  resolveDecodingOptions,
  SequenceState,
  suppressTokens,
} from "../../src/internal.js";

const NEG = Number.NEGATIVE_INFINITY;
const logits = (...values: number[]): Float32Array => Float32Array.from(values);

function state(prompt: number[], generated: number[], ngram = 0): SequenceState {
  const s = new SequenceState(prompt, ngram);
  for (const t of generated) s.append(t);
  return s;
}

describe("logits processors against hand-computed logits", () => {
  it("repetition penalty divides positive and multiplies negative logits of every seen token (prompt included)", () => {
    const l = logits(2, -1, 3, 0.5);
    repetitionPenalty(2)(l, state([0], [1]));
    expect([...l]).toEqual([1, -2, 3, 0.5]);
  });

  it("presence and frequency penalties follow OpenAI: presence once, frequency per occurrence, generated tokens only", () => {
    const l = logits(1, 1, 1, 1);
    presenceFrequencyPenalty(0.5, 0.25)(l, state([3, 3], [0, 0, 0, 1]));
    // token 0: 1 - 0.5 - 0.25*3; token 1: 1 - 0.5 - 0.25; token 3 only in the prompt: untouched.
    expect([...l]).toEqual([1 - 0.5 - 0.75, 1 - 0.5 - 0.25, 1, 1]);
  });

  it("no-repeat n-gram bans the token that would repeat a seen n-gram, from an incremental index", () => {
    const s = state([5, 6, 7, 5], [], 3);
    const l = logits(0, 0, 0, 0, 0, 0, 0, 0);
    s.append(6); // ... 5 6 -> 7 would repeat "5 6 7"
    noRepeatNgram()(l, s);
    expect(l[7]).toBe(NEG);
    expect([...l].filter((v) => v === NEG)).toHaveLength(1);
    const l2 = logits(0, 0, 0, 0, 0, 0, 0, 0);
    s.append(1); // ... 6 1: no seen trigram starts with "6 1"
    noRepeatNgram()(l2, s);
    expect([...l2].every((v) => v === 0)).toBe(true);
  });

  it("bad words ban single tokens always and a sequence's last token after its prefix", () => {
    const l = logits(0, 0, 0, 0, 0);
    badWords([[4], [1, 2, 3]])(l, state([], [1, 2]));
    expect([...l]).toEqual([0, 0, 0, NEG, NEG]);
    const l2 = logits(0, 0, 0, 0, 0);
    badWords([[4], [1, 2, 3]])(l2, state([], [2, 1]));
    expect([...l2]).toEqual([0, 0, 0, 0, NEG]);
  });

  it("min new tokens bans EOS until enough tokens are generated", () => {
    const l = logits(1, 1, 1);
    minNewTokens(2, [2])(l, state([0], [1]));
    expect([...l]).toEqual([1, 1, NEG]);
    const l2 = logits(1, 1, 1);
    minNewTokens(2, [2])(l2, state([0], [1, 1]));
    expect([...l2]).toEqual([1, 1, 1]);
  });

  it("suppression always, begin-suppression only first, forced tokens at their position", () => {
    const l = logits(1, 2, 3);
    suppressTokens([0], "always")(l, state([], [1]));
    expect([...l]).toEqual([NEG, 2, 3]);
    const first = logits(1, 2, 3);
    suppressTokens([2], "first")(first, state([], []));
    expect([...first]).toEqual([1, 2, NEG]);
    const later = logits(1, 2, 3);
    suppressTokens([2], "first")(later, state([], [0]));
    expect([...later]).toEqual([1, 2, 3]);
    const forced = logits(1, 2, 3);
    forcedToken(0, 1)(forced, state([], [2]));
    expect([...forced]).toEqual([0, NEG, NEG]);
  });

  it("options build processors in transformers' order and apply them all", () => {
    const options = resolveDecodingOptions(
      {},
      { repetitionPenalty: 2, presencePenalty: 1, suppressTokens: [3], maxNewTokens: 5 },
      { vocabSize: 4, eosTokenIds: [] },
      1,
    );
    const processors = buildProcessors(options);
    expect(processors).toHaveLength(3);
    const l = logits(4, 4, 4, 4);
    const s = state([0], [1]);
    for (const p of processors) p(l, s);
    // token 0: seen -> 4/2; token 1: seen and generated once -> 4/2 - 1; token 3 suppressed.
    expect([...l]).toEqual([2, 1, 4, NEG]);
  });
});
