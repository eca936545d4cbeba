import { fixture } from "@proj/testing";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DecodingOptions, type GeneratedSequence, type LoadedModel, loadModel, type TokenEvent } from "../../../src/index.js";
import { type BatchRequest, CausalRunner, ContinuousBatcher } from "../../../src/internal.js";
import { batchRequest } from "../engine-helpers.js";

/** Constrained rows in the continuous batcher: beside unconstrained ones, streamed, stopped and aborted. */

let model: LoadedModel;
let runner: CausalRunner;
beforeAll(async () => {
  model = await loadModel(fixture("gpt2"), { threads: 1 });
  runner = new CausalRunner(model.session("model"), model.config, { padTokenId: model.config.padTokenId ?? 50256 });
});
afterAll(() => model.dispose());

const SCHEMA = {
  type: "object",
  properties: { id: { type: "integer", minimum: 0, maximum: 999 }, name: { type: "string", maxLength: 5 }, ok: { type: "boolean" } },
  required: ["id", "name", "ok"],
  additionalProperties: false,
};

/** A request on the GPT-2 fixture. */
const request = (text: string, options: DecodingOptions, extra: Partial<BatchRequest> = {}): Promise<BatchRequest> =>
  batchRequest(model, text, options, extra);

const json: DecodingOptions = { responseFormat: { type: "json_schema", schema: SCHEMA }, maxNewTokens: 50 };

describe("constrained rows in the continuous batcher", () => {
  it("constrained and unconstrained requests in one batch decode exactly as each alone (greedy and seeded sampling)", async () => {
    const specs: [string, DecodingOptions][] = [
      ["A record:", json],
      ["Once upon a time", { maxNewTokens: 20 }],
      ["Another record:", { ...json, doSample: true, seed: 5 }],
      ["The weather", { maxNewTokens: 20, doSample: true, seed: 9 }],
      ["Digits:", { responseFormat: { type: "regex", pattern: "[0-9]{2,6}" }, maxNewTokens: 10 }],
    ];
    const alone: GeneratedSequence[][] = [];
    for (const [text, options] of specs) alone.push(await new ContinuousBatcher(runner).submit(await request(text, options)));
    const batcher = new ContinuousBatcher(runner, { maxSequences: 8 });
    const together = await Promise.all(specs.map(async ([text, options]) => batcher.submit(await request(text, options))));
    expect(together).toEqual(alone);
    const validate = new Ajv().compile(SCHEMA);
    for (const k of [0, 2]) {
      const s = together[k]?.[0] as GeneratedSequence;
      if (s.finishReason === "stop") expect(validate(JSON.parse(s.text)), s.text).toBe(true);
    }
    expect(together[4]?.[0]?.text).toMatch(/^[0-9]{2,6}$/);
  });

  it("a request whose format the engine rejects fails alone; the batch goes on", async () => {
    const batcher = new ContinuousBatcher(runner, { maxSequences: 8 });
    const alone = await new ContinuousBatcher(runner).submit(await request("Fine", { maxNewTokens: 6 }));
    const bad = await request("Bad", { responseFormat: { type: "grammar", grammar: "root ::= nowhere" }, maxNewTokens: 6 });
    const fine = await request("Fine", { maxNewTokens: 6 });
    const settled = await Promise.allSettled([batcher.submit(bad), batcher.submit(fine)]);
    expect(settled[0]?.status).toBe("rejected");
    expect(String((settled[0] as PromiseRejectedResult).reason)).toMatch(/Rule "nowhere" is not defined/);
    expect((settled[1] as PromiseFulfilledResult<GeneratedSequence[]>).value).toEqual(alone);
  });

  it("streams: the token events add up to the text; numReturnSequences rows each get a matcher", async () => {
    const events: TokenEvent[] = [];
    const sequences = await new ContinuousBatcher(runner).submit(
      await request("Rows:", { ...json, doSample: true, seed: 2, numReturnSequences: 3 }, { onToken: (e) => events.push(e) }),
    );
    expect(sequences).toHaveLength(3);
    const validate = new Ajv().compile(SCHEMA);
    sequences.forEach((s, k) => {
      expect(
        events
          .filter((e) => e.sequence === k)
          .map((e) => e.text)
          .join(""),
      ).toBe(s.text);
      if (s.finishReason === "stop") expect(validate(JSON.parse(s.text)), s.text).toBe(true);
    });
  });

  it("a stop string cuts a constrained row; an abort mid-object ends it with finish reason abort", async () => {
    const stopped = await new ContinuousBatcher(runner).submit(await request("Stop:", { ...json, stop: ['"name"'] }));
    expect(stopped[0]?.finishReason).toBe("stop");
    expect(stopped[0]?.text.startsWith("{")).toBe(true);
    expect(stopped[0]?.text).not.toContain('"name"');

    const controller = new AbortController();
    let n = 0;
    const aborted = await new ContinuousBatcher(runner).submit(
      await request(
        "Abort:",
        { ...json, signal: controller.signal },
        {
          onToken: () => {
            if (++n === 3) controller.abort();
          },
        },
      ),
    );
    expect(aborted[0]?.finishReason).toBe("abort");
    expect(aborted[0]?.tokenIds.length).toBe(3);
    expect(aborted[0]?.text.startsWith("{")).toBe(true);
  });
});
