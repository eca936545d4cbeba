import type { Completion } from "openai/resources/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { family, type Running, scrape, start, IGNORE_EOS } from "./helpers.js";

const PROMPTS = [
  "Hello",
  "The cat sat on the",
  "Once upon a time in a land far away",
  "Why",
  "Paris is",
  "1 2 3 4",
  "Dear Sir,",
  "In the beginning",
];
const requests = Array.from({ length: 16 }, (_, i) => ({
  model: "llama",
  prompt: PROMPTS[i % PROMPTS.length] as string,
  max_tokens: 6 + (i % 5) * 3,
  temperature: 0,
  ...IGNORE_EOS,
}));

/** Decode steps of the scrape that ran more than `size` sequences together. */
async function stepsAbove(run: Running, size: number): Promise<{ steps: number; above: number }> {
  const hist = family(await scrape(run.url), "proj_batch_size").metrics[0];
  const steps = Number(hist?.count ?? 0);
  return { steps, above: steps - Number(hist?.buckets?.[String(size)] ?? 0) };
}

let batched: Running;
let single: Running;
beforeAll(async () => {
  [batched, single] = await Promise.all([start({ maxSequences: 16 }), start({ batching: false })]);
});
afterAll(async () => {
  await Promise.all([batched?.server.close(), single?.server.close()]);
});

describe("continuous batching through the server", () => {
  it("16 concurrent greedy requests return exactly what 16 sequential ones do, decoded together", async () => {
    const sequential: Completion[] = [];
    for (const r of requests) sequential.push(await batched.client.completions.create(r));
    const before = await stepsAbove(batched, 8);
    const concurrent = await Promise.all(requests.map((r) => batched.client.completions.create(r)));
    concurrent.forEach((answer, i) => {
      expect(answer.choices[0]?.text).toBe(sequential[i]?.choices[0]?.text);
      expect(answer.usage?.completion_tokens).toBe(requests[i]?.max_tokens);
    });
    const after = await stepsAbove(batched, 8);
    expect(after.above - before.above).toBeGreaterThan(0); // some steps decoded more than 8 sequences at once
  });

  it("streamed and whole answers agree while decoding in one batch", async () => {
    const streamed = requests.map(async (r) => {
      let text = "";
      for await (const chunk of await batched.client.completions.create({ ...r, stream: true })) text += chunk.choices[0]?.text ?? "";
      return text;
    });
    const whole = requests.map((r) => batched.client.completions.create(r).then((a) => a.choices[0]?.text));
    const [s, w] = await Promise.all([Promise.all(streamed), Promise.all(whole)]);
    expect(s).toEqual(w);
  });

  it("with batching off, the same requests decode one sequence at a time and return the same text", async () => {
    const want = await Promise.all(requests.slice(0, 4).map((r) => batched.client.completions.create(r)));
    const got = await Promise.all(requests.slice(0, 4).map((r) => single.client.completions.create(r)));
    expect(got.map((a) => a.choices[0]?.text)).toEqual(want.map((a) => a.choices[0]?.text));
    const { steps, above } = await stepsAbove(single, 1);
    expect(steps).toBeGreaterThan(0);
    expect(above).toBe(0);
  });
});
