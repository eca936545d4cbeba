import { describe, expect, it } from "vitest";
import { CANONICAL_TASKS, describeConfig, TASK_TABLE, taskRow } from "../src/index.js";

const HUB_ORGS = new Set(["Xenova", "onnx-community", "HuggingFaceTB", "answerdotai"]);
const allModels = [...new Map(TASK_TABLE.flatMap((r) => r.models).map((m) => [m.id, m])).values()];

describe("the task table", () => {
  it("has exactly one row per canonical task, in order", () => {
    expect(TASK_TABLE.map((r) => r.task)).toEqual(CANONICAL_TASKS);
  });

  it("serves the issue's families: encoders label, decoders generate, encoder-decoders translate and summarise", () => {
    const family = Object.fromEntries(TASK_TABLE.map((r) => [r.task, r.family]));
    expect(family).toMatchObject({
      "text-classification": "encoder",
      "token-classification": "encoder",
      "question-answering": "encoder",
      "fill-mask": "encoder",
      "text-generation": "decoder",
      chat: "decoder",
      translation: "encoder-decoder",
      summarization: "encoder-decoder",
    });
    expect(taskRow("generative-qa").alternativeFamilies).toContain("encoder-decoder");
    expect(taskRow("generative-qa").models.map((m) => m.family)).toEqual(expect.arrayContaining(["decoder", "encoder-decoder"]));
  });

  it("lists the default model first among each row's recommendations", () => {
    for (const row of TASK_TABLE) expect(row.models[0]?.id, row.task).toBe(row.defaultModel);
  });

  it("names ONNX-ready Hub repositories with license and languages", () => {
    for (const model of allModels) {
      const [org, name, ...rest] = model.id.split("/");
      expect(HUB_ORGS.has(org as string), model.id).toBe(true);
      expect(name && rest.length === 0, model.id).toBeTruthy();
      expect(model.license.length).toBeGreaterThan(2);
      expect(model.languages.length).toBeGreaterThan(0);
      expect(model.note.length).toBeGreaterThan(10);
    }
  });

  it("each model's published parameter count matches the count computed from its config within 1%", () => {
    for (const model of allModels) {
      const computed = describeConfig(model.config).parameters;
      expect(Math.abs(computed / model.parameters - 1), `${model.id}: computed ${computed}`).toBeLessThan(0.01);
    }
  });

  it("each model's config says the family, the window and the task the table puts it in", () => {
    for (const row of TASK_TABLE) {
      for (const model of row.models) {
        const d = describeConfig(model.config, { hasChatTemplate: true });
        expect(d.family, model.id).toBe(model.family);
        expect(d.contextTokens, model.id).toBeGreaterThanOrEqual(model.contextTokens);
        expect(d.tasks, `${model.id} in ${row.task}`).toContain(row.task);
      }
    }
  });

  it("only non-commercial licenses are marked as such", () => {
    for (const model of allModels) expect(model.commercialUse, model.id).toBe(!/-NC-/.test(model.license));
  });
});
