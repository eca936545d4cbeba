import { existsSync } from "node:fs";
import { basename } from "node:path";
import type { Generator } from "@proj/decoder";
import { HttpError } from "../errors/http-error.js";
import type { SHORT_NAMES } from "../tasks/task-names.js";

/**
 * What a served model does: text generation, or one of the task endpoints, by the task's short name (one of the
 * chooser's names of the task, see `SHORT_NAMES`).
 *
 * @example
 * const task: ServedTask = "fill-mask";
 */
export type ServedTask = (typeof SHORT_NAMES)[keyof typeof SHORT_NAMES];

/**
 * One model as `GET /v1/models` lists it.
 *
 * @example
 * server.models; // [{ id: "gpt2", task: "generate", created: 1767225600 }]
 */
export interface ServedModel {
  /** The name clients put in `model`. */
  id: string;
  /** What it serves. */
  task: ServedTask;
  /** When the server loaded it, in Unix seconds. */
  created: number;
}

/**
 * The name a model is served under: the folder name for a local path, the id itself for a Hub id.
 *
 * @example
 * modelIdOf("/models/gpt2"); // "gpt2"
 * modelIdOf("onnx-community/Qwen2.5-0.5B-Instruct"); // "onnx-community/Qwen2.5-0.5B-Instruct"
 */
export function modelIdOf(spec: string): string {
  const path = /^(\.{0,2}[\\/]|~|[A-Za-z]:\\)/.test(spec) || existsSync(spec);
  return path ? basename(spec.replace(/[\\/]+$/, "")) : spec;
}

/**
 * The served name of a loaded model from its source label (`hub:org/name@main` -> `org/name`, a folder -> its name).
 *
 * @example
 * labelToId("hub:Xenova/gpt2@main"); // "Xenova/gpt2"
 */
export function labelToId(label: string): string {
  const hub = /^hub:(.+)@[^@]+$/.exec(label);
  return hub ? (hub[1] as string) : modelIdOf(label);
}

/**
 * The models a server answers for, by task, and the check that a request's `model` is one of them
 * (404 `model_not_found` otherwise; an absent `model` means the task's one model).
 *
 * @example
 * const models = new ServedModels();
 * models.add("generate", "gpt2", generator);
 * models.resolve<Generator>("generate", body.model); // the generator, or a 404
 */
export class ServedModels {
  readonly #entries = new Map<ServedTask, { model: ServedModel; handle: unknown }>();

  /** Registers the model of a task. */
  add(task: ServedTask, id: string, handle: unknown): void {
    this.#entries.set(task, { model: { id, task, created: Math.floor(Date.now() / 1000) }, handle });
  }

  /** Every served model. */
  list(): ServedModel[] {
    return [...this.#entries.values()].map((e) => e.model);
  }

  /** True when a model serves this task. */
  has(task: ServedTask): boolean {
    return this.#entries.has(task);
  }

  /** The generator, when one is served. */
  get generator(): Generator | undefined {
    return this.#entries.get("generate")?.handle as Generator | undefined;
  }

  /**
   * The handle serving `task` for a request's `model` field; a 404 when no model serves the task or the name
   * is not the one served, a 400 when `model` is not a string.
   */
  resolve<H>(task: ServedTask, requested: unknown): { id: string; handle: H } {
    const entry = this.#entries.get(task);
    if (requested !== undefined && requested !== null && typeof requested !== "string") {
      throw new HttpError(400, `"model" must be a string, got ${typeof requested}`, { param: "model", code: "invalid_type" });
    }
    if (!entry) {
      throw new HttpError(404, `No model serves ${task} on this server; GET /v1/models lists what it serves`, {
        param: "model",
        code: "model_not_found",
      });
    }
    if (typeof requested === "string" && requested !== "" && requested !== entry.model.id) {
      throw new HttpError(
        404,
        `The model "${requested}" is not served here; ${task} is served by "${entry.model.id}" (GET /v1/models lists them)`,
        {
          param: "model",
          code: "model_not_found",
        },
      );
    }
    return { id: entry.model.id, handle: entry.handle as H };
  }

  /** Every handle, for disposal. */
  handles(): unknown[] {
    return [...this.#entries.values()].map((e) => e.handle);
  }
}
