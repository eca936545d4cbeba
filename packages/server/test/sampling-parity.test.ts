import { createGenerator, createRemoteGenerator, generate, type LocalGenerator, type RemoteGenerator } from "@proj/decoder";
import { fixture } from "@proj/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, start } from "./helpers.js";

let run: Running;
let local: LocalGenerator;
let remote: RemoteGenerator;
beforeAll(async () => {
  [run, local] = await Promise.all([start(), createGenerator(fixture("llama"), { load: { threads: 1 } })]);
  remote = createRemoteGenerator({ baseURL: `${run.url}/v1`, model: "llama", returnTokenIds: true });
});
afterAll(async () => {
  await Promise.all([run?.server.close(), local?.dispose()]);
});

describe("the same options mean the same thing in process and through the server", () => {
  // No doSample anywhere: whether these sample is decided by the one rule (a positive temperature, topP, topK > 0 or
  // minP > 0 sample; temperature 0 is greedy).
  const cases = [
    { maxNewTokens: 12, temperature: 1.3, seed: 3 },
    { maxNewTokens: 12, topP: 0.8, seed: 4 },
    { maxNewTokens: 12, topK: 5, seed: 5 },
    { maxNewTokens: 12, temperature: 0, topP: 0.8, seed: 6 },
    { maxNewTokens: 12 },
  ];
  for (const options of cases) {
    it(`${JSON.stringify(options)}: local == remote`, async () => {
      const want = await local.generate("A man", options);
      const got = await remote.generate("A man", options);
      expect(got.tokenIds).toEqual(want.tokenIds);
      expect(got.text).toBe(want.text);
      // The remote handle is a Generator: the one-shot function takes it as its model.
      const viaOneShot = await generate("A man", { model: remote, ...options });
      expect(viaOneShot.tokenIds).toEqual(want.tokenIds);
    });
  }

  it("temperature alone really samples (it differs from greedy decoding)", async () => {
    const sampled = await local.generate("A man", { maxNewTokens: 12, temperature: 1.3, seed: 3, eosTokenId: [] });
    const greedy = await local.generate("A man", { maxNewTokens: 12, doSample: false, eosTokenId: [] });
    expect(sampled.tokenIds).not.toEqual(greedy.tokenIds);
  });
});
