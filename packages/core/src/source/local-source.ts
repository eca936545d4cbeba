import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { InputError, ModelNotFoundError } from "../errors.js";
import type { ModelSource, ResolveFileOptions } from "./model-source.js";

/**
 * Opens a model stored in a local folder (the Hugging Face/Optimum ONNX layout:
 * `config.json`, `tokenizer.json`, `onnx/*.onnx`).
 *
 * @example
 * const source = localSource("./models/distilbert-sst2");
 * const configPath = await source.resolveFile("config.json");
 */
export function localSource(folder: string): ModelSource {
  const dir = resolve(folder);
  if (!existsSync(dir)) {
    throw new ModelNotFoundError(`Model folder ${dir} does not exist`, {
      hint: 'pass the path of a folder holding config.json, tokenizer.json and onnx/*.onnx, or a Hub id such as "Xenova/bert-base-uncased"',
    });
  }
  if (!statSync(dir).isDirectory()) {
    throw new ModelNotFoundError(`${dir} is a file, not a model folder`, {
      hint: "pass the folder that holds config.json and onnx/, not a file inside it",
    });
  }

  async function resolveFile(path: string, options: ResolveFileOptions = {}): Promise<string | undefined> {
    const full = resolve(dir, path);
    if (full !== dir && !full.startsWith(dir + sep)) {
      throw new InputError(`File path "${path}" points outside the model folder ${dir}`);
    }
    if (existsSync(full) && statSync(full).isFile()) return full;
    if (options.optional) return undefined;
    throw new ModelNotFoundError(`${full} does not exist`, {
      hint: `the model folder ${dir} must hold ${path}; re-export the model with Optimum or download the missing file`,
    });
  }

  return {
    kind: "local",
    id: folder,
    label: dir,
    resolveFile: resolveFile as ModelSource["resolveFile"],
    async listFiles() {
      return listFilesRecursively(dir).map((file) => relative(dir, file).split(sep).join("/"));
    },
  };
}

function listFilesRecursively(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const full = join(dir, entry.name);
    // Follow symbolic links (a Hugging Face cache snapshot links every file to its blob).
    const kind = entry.isSymbolicLink() ? statSync(full, { throwIfNoEntry: false }) : entry;
    if (!kind) continue;
    if (kind.isDirectory()) out.push(...listFilesRecursively(full));
    else if (kind.isFile()) out.push(full);
  }
  return out.sort();
}
