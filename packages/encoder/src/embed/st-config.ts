import { readFile } from "node:fs/promises";
import { type JsonObject, ModelFormatError, type ModelSource, readJsonObject } from "@proj/core";
import type { Pooling } from "./types.js";

/**
 * What a sentence-transformers folder says about embedding: its pooling, whether it normalizes, its prompts and
 * its `max_seq_length`. Every field is `undefined` when the folder does not say (a plain Optimum export).
 *
 * @example
 * const st = await readSentenceTransformers(source); // { pooling: "mean", normalize: true, prompts: { query: "query: " }, ... }
 * @internal
 */
export interface SentenceTransformersConfig {
  /** The pooling of `1_Pooling/config.json` (or of the Pooling module's folder). */
  pooling: Pooling | undefined;
  /** Whether `modules.json` lists a Normalize module; `undefined` without modules.json. */
  normalize: boolean | undefined;
  /** The named prompts of `config_sentence_transformers.json`. */
  prompts: Readonly<Record<string, string>>;
  /** The prompt used when a call names none (`default_prompt_name`). */
  defaultPromptName: string | undefined;
  /** `sentence_bert_config.json`'s `max_seq_length`. */
  maxSeqLength: number | undefined;
  /** False when the pooling excludes the prompt's tokens (`include_prompt: false`). */
  includePrompt: boolean;
}

const POOLING_MODES: ReadonlyArray<[string, Pooling | undefined]> = [
  ["pooling_mode_mean_tokens", "mean"],
  ["pooling_mode_cls_token", "cls"],
  ["pooling_mode_max_tokens", "max"],
  ["pooling_mode_lasttoken", "last"],
  ["pooling_mode_mean_sqrt_len_tokens", undefined],
  ["pooling_mode_weightedmean_tokens", undefined],
];

/**
 * Reads the sentence-transformers files of a model, when it has them: `modules.json`, the Pooling module's
 * `config.json`, `config_sentence_transformers.json` and `sentence_bert_config.json`. A pooling this package cannot
 * reproduce (several modes at once, `mean_sqrt_len`, `weightedmean`) is a {@link ModelFormatError}.
 *
 * @example
 * const st = await readSentenceTransformers(model.source, signal);
 * @internal
 */
export async function readSentenceTransformers(source: ModelSource, signal?: AbortSignal): Promise<SentenceTransformersConfig> {
  const read = async (path: string): Promise<{ path: string; json: unknown } | undefined> => {
    const file = await source.resolveFile(path, { optional: true, ...(signal ? { signal } : {}) });
    if (file === undefined) return undefined;
    if (path === "modules.json") return { path: file, json: parseJson(await readFile(file, "utf8"), file) };
    return { path: file, json: await readJsonObject(file) };
  };
  const modules = await read("modules.json");
  const list = Array.isArray(modules?.json) ? (modules.json as JsonObject[]) : undefined;
  const poolingModule = list?.find((m) => typeof m.type === "string" && m.type.endsWith("models.Pooling"));
  const poolingPath = typeof poolingModule?.path === "string" && poolingModule.path !== "" ? poolingModule.path : "1_Pooling";
  const poolingConfig = await read(`${poolingPath}/config.json`);
  const st = await read("config_sentence_transformers.json");
  const bert = await read("sentence_bert_config.json");

  const poolingJson = poolingConfig?.json as JsonObject | undefined;
  const stJson = (st?.json ?? {}) as JsonObject;
  const prompts: Record<string, string> = {};
  if (stJson.prompts !== null && typeof stJson.prompts === "object") {
    for (const [name, text] of Object.entries(stJson.prompts as JsonObject)) if (typeof text === "string") prompts[name] = text;
  }
  const maxSeq = (bert?.json as JsonObject | undefined)?.max_seq_length;
  return {
    pooling: poolingJson && poolingConfig ? poolingOf(poolingJson, poolingConfig.path) : undefined,
    normalize: list ? list.some((m) => typeof m.type === "string" && m.type.endsWith("models.Normalize")) : undefined,
    prompts,
    defaultPromptName: typeof stJson.default_prompt_name === "string" ? stJson.default_prompt_name : undefined,
    maxSeqLength: typeof maxSeq === "number" && Number.isInteger(maxSeq) && maxSeq > 0 ? maxSeq : undefined,
    includePrompt: poolingJson?.include_prompt !== false,
  };
}

function poolingOf(json: JsonObject, path: string): Pooling {
  const on = POOLING_MODES.filter(([key]) => json[key] === true);
  const mode = typeof json.pooling_mode === "string" ? json.pooling_mode : undefined;
  if (on.length === 1 && on[0]?.[1] !== undefined) return on[0][1];
  if (on.length === 0 && mode !== undefined) {
    const byName: Record<string, Pooling> = { mean: "mean", cls: "cls", max: "max", lasttoken: "last" };
    const pooling = byName[mode];
    if (pooling) return pooling;
  }
  const named = on.length ? on.map(([key]) => key).join(" + ") : (mode ?? "no pooling mode");
  throw new ModelFormatError(`${path} asks for ${named}, which embed() does not reproduce (it pools by mean, cls, max or last token)`, {
    hint: 'pass { pooling: "mean" | "cls" | "last" | "max" } to choose one yourself',
  });
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ModelFormatError(`${path} is not valid JSON (${(error as Error).message})`, {
      hint: "the file is corrupt or truncated; download it again",
      cause: error,
    });
  }
}
