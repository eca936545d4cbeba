import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadedModel, ModelSession, TensorMap } from "@proj/core";
import { fixture } from "@proj/testing";
import { vi } from "vitest";

/** Load options for fixtures: one thread, so runs are reproducible and cheap. */
export const LOAD = { threads: 1 } as const;

export const SENTENCES = [
  "Two young, White males are outside near many bushes.",
  "A man in an orange hat starring at something.",
  "Several men in hard hats are operating a giant pulley system.",
];

/** Cuts transformers.js output ([start, ...generated, eos, pad ...]) to our tokenIds (generated, no eos). */
export function referenceIds(row: readonly bigint[], eos: readonly number[]): number[] {
  const out = row.slice(1).map(Number);
  const end = out.findIndex((t) => eos.includes(t));
  return end < 0 ? out : out.slice(0, end);
}

/** Records the input_ids rows every encoder run receives. */
export function spyEncoder(model: LoadedModel): { rows: number[][][]; restore(): void } {
  const session: ModelSession = model.session("encoder_model");
  const rows: number[][][] = [];
  const original = session.run.bind(session);
  const spy = vi.spyOn(session, "run").mockImplementation(async (feeds: TensorMap, options) => {
    const ids = feeds.input_ids;
    if (ids) {
      const [n = 0, width = 0] = ids.dims;
      const data = ids.data as BigInt64Array;
      const mask = feeds.attention_mask?.data as BigInt64Array | undefined;
      rows.push(
        Array.from({ length: n }, (_, r) => {
          const row: number[] = [];
          for (let i = 0; i < width; i++) if (!mask || mask[r * width + i] === 1n) row.push(Number(data[r * width + i]));
          return row;
        }),
      );
    }
    return original(feeds, options);
  });
  return { rows, restore: () => spy.mockRestore() };
}

/**
 * A multilingual model made from the T5 fixture: three language tokens (mBART-50 codes) added to its tokenizer in
 * the free ids above the vocabulary, listed as additional special tokens, with the mBART-50 tokenizer class.
 * The weights are the T5 fixture's, so the language logic runs end to end on a real graph.
 */
export function multilingualFixture(options: { tokenizerClass?: string; legacy?: boolean; codes?: string[] } = {}): {
  dir: string;
  ids: Record<string, number>;
} {
  const src = fixture("t5");
  const dir = mkdtempSync(join(tmpdir(), "seq2seq-multi-"));
  for (const file of ["config.json", "generation_config.json", "special_tokens_map.json"]) cpSync(join(src, file), join(dir, file));
  // Copies, not links: the local source lists plain files only.
  mkdirSync(join(dir, "onnx"));
  for (const graph of ["encoder_model", "decoder_model_merged"])
    cpSync(join(src, "onnx", `${graph}.onnx`), join(dir, "onnx", `${graph}.onnx`));
  const codes = options.codes ?? ["en_XX", "de_DE", "fr_XX"];
  const tokenizer = JSON.parse(readFileSync(join(src, "tokenizer.json"), "utf8")) as { added_tokens: Array<Record<string, unknown>> };
  const next = Math.max(...tokenizer.added_tokens.map((t) => t.id as number)) + 1;
  const ids: Record<string, number> = {};
  codes.forEach((content, i) => {
    ids[content] = next + i;
    tokenizer.added_tokens.push({
      id: next + i,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    });
  });
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(tokenizer));
  const config = JSON.parse(readFileSync(join(src, "tokenizer_config.json"), "utf8")) as Record<string, unknown>;
  config.additional_special_tokens = codes;
  config.tokenizer_class = options.tokenizerClass ?? "MBart50Tokenizer";
  if (options.legacy !== undefined) config.legacy_behaviour = options.legacy;
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(config));
  return { dir, ids };
}
