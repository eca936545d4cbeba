import { readFile } from "node:fs/promises";
import type { LoadedModel } from "@proj/core";
import type { SubwordInfo } from "./pre-entities.js";

/**
 * Reads what word grouping needs from the model's `tokenizer.json`: the tokenizer model's continuing-subword
 * prefix (`"##"` for WordPiece), which tells a real word-aware tokenizer from one where only spaces mark words.
 *
 * @example
 * const info = await readSubwordInfo(model); // { continuingSubwordPrefix: "##", unkId: 100 }
 */
export async function readSubwordInfo(model: LoadedModel): Promise<SubwordInfo> {
  const path = await model.source.resolveFile("tokenizer.json", { optional: true });
  let prefix: string | undefined;
  try {
    if (path === undefined) throw new Error("no tokenizer.json");
    const json = JSON.parse(await readFile(path, "utf8")) as { model?: { continuing_subword_prefix?: unknown } };
    const value = json.model?.continuing_subword_prefix;
    prefix = typeof value === "string" && value !== "" ? value : undefined;
  } catch {
    prefix = undefined; // the loader already parsed it; fall back to the space heuristic
  }
  return { continuingSubwordPrefix: prefix, unkId: model.tokenizer.specialIds.unk };
}
