import { ChooserError } from "../errors.js";
import type { LanguagePair, RawModelConfig } from "../tasks/types.js";
import { type DescribeOptions, describeConfig, type ModelDescription } from "./describe-config.js";

/**
 * Describes a model: its family, the tasks it can serve (a folder's tokenizer_config.json also tells chat templates
 * and a translator's language pair), parameter count, context length and a memory estimate for
 * a batch and sequence length (KV cache included). Give a model folder (its `config.json` and, for chat,
 * `tokenizer_config.json` are read with `node:fs`), a path to a `config.json`, or the config object itself.
 * Throws a {@link ChooserError} (`"CONFIG_NOT_FOUND"`, `"INVALID_CONFIG"`).
 *
 * @example
 * const d = await describeModel("./models/qwen2.5-0.5b", { batchSize: 8, sequenceLength: 4096, dtype: "q4" });
 * console.log(d.family, d.tasks, d.parameters, d.contextTokens, d.memory.totalBytes);
 */
export async function describeModel(folderOrConfig: string | RawModelConfig, options: DescribeOptions = {}): Promise<ModelDescription> {
  if (typeof folderOrConfig !== "string") return describeConfig(folderOrConfig, options);
  const { readFile, stat } = await import("node:fs/promises");
  const { join, dirname } = await import("node:path");
  const isFile =
    folderOrConfig.endsWith(".json") &&
    (await stat(folderOrConfig).then(
      (s) => s.isFile(),
      () => false,
    ));
  const configPath = isFile ? folderOrConfig : join(folderOrConfig, "config.json");
  const folder = isFile ? dirname(folderOrConfig) : folderOrConfig;
  const text = await readFile(configPath, "utf8").catch((error: unknown) => {
    throw new ChooserError(
      "CONFIG_NOT_FOUND",
      `Cannot read ${configPath}: ${(error as Error).message}`,
      "pass a model folder in the Hugging Face layout (it holds config.json), a config.json path, or the parsed config object",
    );
  });
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch (error) {
    throw new ChooserError(
      "INVALID_CONFIG",
      `${configPath} is not valid JSON (${(error as Error).message})`,
      "download or export the model again",
    );
  }
  const tokenizerConfig = await readFile(join(folder, "tokenizer_config.json"), "utf8")
    .then((t) => JSON.parse(t) as Record<string, unknown>)
    .catch(() => undefined);
  let hasChatTemplate = options.hasChatTemplate;
  if (hasChatTemplate === undefined) {
    const templateFile = await stat(join(folder, "chat_template.jinja")).then(
      (s) => s.isFile(),
      () => false,
    );
    if (tokenizerConfig || templateFile) hasChatTemplate = templateFile || (tokenizerConfig?.chat_template ?? null) !== null;
  }
  const languagePair = options.languagePair ?? tokenizerPair(tokenizerConfig);
  return describeConfig(config as RawModelConfig, {
    ...options,
    ...(hasChatTemplate !== undefined ? { hasChatTemplate } : {}),
    ...(languagePair !== undefined ? { languagePair } : {}),
  });
}

/** The pair a tokenizer_config.json names (`source_lang`, `target_lang`), when it names both. */
function tokenizerPair(tokenizerConfig: Record<string, unknown> | undefined): LanguagePair | undefined {
  const from = tokenizerConfig?.source_lang;
  const to = tokenizerConfig?.target_lang;
  return typeof from === "string" && from !== "" && typeof to === "string" && to !== "" ? { from, to } : undefined;
}
