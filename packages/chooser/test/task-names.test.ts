import { describe, expect, it } from "vitest";
import { CANONICAL_TASKS, ChooserError, isTaskName, resolveTask, TASK_ALIASES } from "../src/index.js";

describe("task names", () => {
  it("every canonical task resolves to itself", () => {
    for (const task of CANONICAL_TASKS) expect(resolveTask(task)).toEqual({ task, requested: task });
  });

  it("the aliases people type resolve to their canonical task", () => {
    expect(resolveTask("sentiment-analysis").task).toBe("text-classification");
    expect(resolveTask("ner").task).toBe("token-classification");
    expect(resolveTask("qa").task).toBe("question-answering");
    expect(resolveTask("audit-bias").task).toBe("bias-audit");
    for (const [alias, task] of Object.entries(TASK_ALIASES)) expect(resolveTask(alias).task).toBe(task);
  });

  it("translation_xx_to_yy carries its languages", () => {
    expect(resolveTask("translation_en_to_de")).toEqual({ task: "translation", requested: "translation_en_to_de", from: "en", to: "de" });
    expect(resolveTask("translation_eng_Latn_to_fra_Latn")).toMatchObject({ from: "eng_Latn", to: "fra_Latn" });
  });

  it("an unknown task is a ChooserError that lists the known ones", () => {
    const error = (() => {
      try {
        resolveTask("sentiment");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ChooserError);
    expect((error as ChooserError).code).toBe("UNKNOWN_TASK");
    expect((error as ChooserError).hint).toContain("sentiment-analysis");
    expect(() => resolveTask("translation_en_de")).toThrow(/Unknown task/);
    expect(() => resolveTask(42 as unknown as string)).toThrow(ChooserError);
  });

  it("isTaskName tells names apart without throwing", () => {
    expect(isTaskName("ner")).toBe(true);
    expect(isTaskName("translation_en_to_ro")).toBe(true);
    expect(isTaskName("sentiment")).toBe(false);
    expect(isTaskName(undefined)).toBe(false);
  });
});
