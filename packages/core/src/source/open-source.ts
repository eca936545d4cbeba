import { existsSync } from "node:fs";
import { InputError } from "../errors.js";
import { isHubId } from "./hub/hub-id.js";
import { type HubSourceOptions, hubSource } from "./hub/hub-source.js";
import { localSource } from "./local-source.js";
import type { ModelSource } from "./model-source.js";

/** A model given by folder path, Hub id, or an already opened {@link ModelSource}. */
export type ModelSpec = string | ModelSource;

/**
 * Opens a model's files: a local folder when the path exists (or looks like a path),
 * otherwise a Hub id such as `"Xenova/bert-base-uncased"`, served from the Hugging Face cache.
 *
 * @example
 * const local = openModelSource("./models/my-bert");
 * const hub = openModelSource("Xenova/distilgpt2", { revision: "main" });
 */
export function openModelSource(spec: ModelSpec, options: HubSourceOptions = {}): ModelSource {
  if (typeof spec === "object" && spec !== null && typeof spec.resolveFile === "function") return spec;
  if (typeof spec !== "string" || spec.trim() === "") {
    throw new InputError(`Expected a model folder path or Hub id, got ${spec === "" ? "an empty string" : typeof spec}`, {
      hint: 'pass a folder such as "./models/bert" or a Hub id such as "Xenova/bert-base-uncased"',
    });
  }
  if (existsSync(spec) || !isHubId(spec)) return localSource(spec);
  return hubSource(spec, options);
}
