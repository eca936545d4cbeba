import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { classifyZeroShot, disposeCachedHandles, embed, rerank } from "@proj/encoder";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { type CliIO, mainHelp, runCli } from "../src/index.js";
import { proj } from "./helpers.js";

/** Runs `proj ...argv` in-process with `input` on stdin; resolves to the exit code and what it printed. */
async function run(argv: readonly string[], input = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (d: Buffer) => (out += d.toString("utf8")));
  stderr.on("data", (d: Buffer) => (err += d.toString("utf8")));
  const stdin = new PassThrough();
  stdin.end(input);
  const io: CliIO = { stdin, stdout, stderr, env: {}, cwd: process.cwd() };
  const code = await runCli(argv, io);
  return { code, stdout: out, stderr: err };
}

/** The largest absolute difference between a printed vector and an embedding. */
function maxDiff(got: readonly number[], want: Float32Array): number {
  return got.reduce((max, v, j) => Math.max(max, Math.abs(v - (want[j] as number))), 0);
}

afterAll(async () => {
  await disposeCachedHandles();
});

const texts = ["A man is playing a guitar.", "ok", "The quick brown fox jumps over the lazy dog."];

describe("proj embed", () => {
  const model = fixture("bert-embed");

  it("prints one JSON line per text (arguments or stdin lines) whose vector is embed()'s", async () => {
    const want = await embed(texts, { model });
    for (const result of [await run(["embed", "-m", model, ...texts]), await run(["embed", "-m", model], `${texts.join("\n")}\n\n`)]) {
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(texts.length);
      lines.forEach((line, i) => {
        const row = JSON.parse(line) as { text: string; embedding: number[] };
        expect(Object.keys(row)).toEqual(["text", "embedding"]);
        expect(row.text).toBe(texts[i]);
        const vector = want[i] as Float32Array;
        expect(row.embedding).toHaveLength(vector.length);
        expect(maxDiff(row.embedding, vector)).toBeLessThan(1e-6);
      });
    }
  });

  it("passes its flags on as embed()'s options", async () => {
    const options = { pooling: "cls", normalize: false, dimensions: 4, promptName: "query" } as const;
    const want = await embed(texts, { model, ...options });
    const result = await run([
      "embed",
      "-m",
      model,
      "--pooling",
      "cls",
      "--no-normalize",
      "--dimensions",
      "4",
      "--prompt-name",
      "query",
      ...texts,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout
      .trimEnd()
      .split("\n")
      .map((l) => (JSON.parse(l) as { embedding: number[] }).embedding);
    rows.forEach((row, i) => {
      expect(row).toHaveLength(4);
      expect(maxDiff(row, want[i] as Float32Array)).toBeLessThan(1e-6);
    });
    const bits = await run(["embed", "-m", model, "--precision", "ubinary", "ok"]);
    expect(bits.code, bits.stderr).toBe(0);
    expect((JSON.parse(bits.stdout) as { embedding: number[] }).embedding).toEqual(
      Array.from(await embed("ok", { model, precision: "ubinary" })),
    );
  });

  it("bad flag values and missing text are usage errors (exit 2, with the usage)", async () => {
    for (const [argv, message] of [
      [["--pooling", "sum"], '--pooling must be one of mean, cls, last, max, got "sum"'],
      [["--dimensions", "0"], '--dimensions must be an integer of at least 1, got "0"'],
      [["--precision", "fp16"], "--precision must be one of float32, int8, uint8, binary, ubinary"],
      [["--normalize", "--no-normalize"], "--normalize and --no-normalize contradict each other"],
      [["--prompt", "q: ", "--prompt-name", "query"], "--prompt and --prompt-name contradict each other"],
      [["--json"], "Unknown option '--json'"],
    ] as const) {
      const result = await run(["embed", "-m", model, ...argv, "text"]);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("usage: proj embed");
      expect(result.stdout).toBe("");
    }
    const empty = await run(["embed", "-m", model], " \n\n");
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no text to embed");
  });

  it("without --model, offline and with an empty cache: embed()'s default, the embedded model of @proj/models", async () => {
    const hfHome = await mkdtemp(join(tmpdir(), "proj-hf-"));
    const saved = { offline: process.env.HF_HUB_OFFLINE, home: process.env.HF_HOME };
    process.env.HF_HUB_OFFLINE = "1";
    process.env.HF_HOME = hfHome;
    try {
      const [want] = await embed(["a dog runs"]); // no model, offline: only the embedded one can answer
      const inProcess = await run(["embed", "a dog runs"]);
      const spawned = await proj(["embed", "a dog runs"], { env: { HF_HOME: hfHome } }); // `npx proj embed "a dog runs"`
      for (const result of [inProcess, spawned]) {
        expect(result.code, result.stderr).toBe(0);
        const row = JSON.parse(result.stdout.trim()) as { text: string; embedding: number[] };
        expect(row.text).toBe("a dog runs");
        expect(row.embedding).toHaveLength(128);
        expect(maxDiff(row.embedding, want as Float32Array)).toBeLessThan(1e-5);
      }
    } finally {
      for (const [key, value] of [
        ["HF_HUB_OFFLINE", saved.offline],
        ["HF_HOME", saved.home],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe("proj rerank", () => {
  const model = fixture("bert-cross-encoder");
  const query = "how fast do dogs run?";
  const docs = ["Cats sleep a lot.", "Greyhounds reach 70 km/h.", "A dog runs in the park.", "Stock prices fell today."];

  it("orders the documents as rerank() does: score, index and document per line, or --json", async () => {
    const want = await rerank(query, docs, { model });
    const shown = await run(["rerank", "-m", model, "--query", query], `${docs.join("\n")}\n`);
    expect(shown.code, shown.stderr).toBe(0);
    const rows = shown.stdout.trimEnd().split("\n");
    expect(rows).toHaveLength(docs.length);
    rows.forEach((row, i) => {
      const r = want[i] as (typeof want)[number];
      expect(row.split(/ {2,}/)).toEqual([r.score.toFixed(4), String(r.index), docs[r.index]]);
    });
    const json = await run(["rerank", "-m", model, "-Q", query, "--json", ...docs]);
    expect(json.code, json.stderr).toBe(0);
    const got = JSON.parse(json.stdout) as Array<{ index: number; score: number; document: string }>;
    expect(got.map((r) => r.index)).toEqual(want.map((r) => r.index));
    got.forEach((r, i) => {
      expect(r.score).toBeCloseTo((want[i] as (typeof want)[number]).score, 6);
      expect(r.document).toBe(docs[r.index]);
    });
  });

  it("--top-k keeps the best k", async () => {
    const want = await rerank(query, docs, { model, topK: 2 });
    const result = await run(["rerank", "-m", model, "-Q", query, "--top-k", "2", "--json", ...docs]);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as Array<{ index: number }>).map((r) => r.index)).toEqual(want.map((r) => r.index));
  });

  it("bad command lines are usage errors", async () => {
    for (const [argv, message] of [
      [["-Q", query, "--top-k", "0", "doc"], '--top-k must be an integer of at least 1, got "0"'],
      [["doc"], "--query is required"],
      [["-Q", query], "no documents to rerank"],
    ] as const) {
      const result = await run(["rerank", "-m", model, ...argv]);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("usage: proj rerank");
    }
  });
});

describe("proj zero-shot", () => {
  const model = fixture("bert-nli");
  const text = "The striker scored twice in the final.";
  const labels = ["sports", "politics", "cooking"];

  it("gives classifyZeroShot()'s labels and scores: label and score per line, or --json", async () => {
    for (const multiLabel of [false, true]) {
      const template = "This text is about {}.";
      const want = await classifyZeroShot(text, labels, { model, multiLabel, hypothesisTemplate: template });
      const flags = [
        "-m",
        model,
        "--labels",
        labels.join(","),
        "--hypothesis-template",
        template,
        ...(multiLabel ? ["--multi-label"] : []),
      ];
      const json = await run(["zero-shot", ...flags, "--json", text]);
      expect(json.code, json.stderr).toBe(0);
      const got = JSON.parse(json.stdout) as typeof want;
      expect(got.sequence).toBe(want.sequence);
      expect(got.labels).toEqual(want.labels);
      got.scores.forEach((s, i) => {
        expect(s).toBeCloseTo(want.scores[i] as number, 6);
      });
      const shown = await run(["zero-shot", ...flags], `${text}\n`);
      expect(shown.code, shown.stderr).toBe(0);
      expect(
        shown.stdout
          .trimEnd()
          .split("\n")
          .map((row) => row.split(/ {2,}/)),
      ).toEqual(want.labels.map((label, i) => [label, (want.scores[i] as number).toFixed(4)]));
    }
  });

  it("labels may also be given one --labels at a time", async () => {
    const want = await classifyZeroShot(text, labels, { model });
    const result = await run(["zero-shot", "-m", model, "--json", ...labels.flatMap((l) => ["--labels", l]), text]);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as typeof want).labels).toEqual(want.labels);
  });

  it("bad command lines are usage errors", async () => {
    for (const [argv, message] of [
      [[text], "--labels is required"],
      [["--labels", "a,b", "--hypothesis-template", "About it.", text], "--hypothesis-template must contain {}"],
      [["--labels", "a,b", "--multi-label=yes", text], "--multi-label"],
      [["--labels", "a,b"], "no text to classify"],
    ] as const) {
      const result = await run(["zero-shot", "-m", model, ...argv]);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain("usage: proj zero-shot");
    }
  });
});

describe("help", () => {
  it("proj --help lists embed, rerank and zero-shot; each has its --help", async () => {
    const help = await run(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe(mainHelp());
    for (const [command, flag] of [
      ["embed", "--dimensions <n>"],
      ["rerank", "--query <text>"],
      ["zero-shot", "--labels <a,b,c>"],
    ] as const) {
      expect(help.stdout).toContain(`  ${command} `);
      for (const argv of [
        [command, "--help"],
        [command, "-h"],
        ["help", command],
      ]) {
        const result = await run(argv);
        expect({ argv, code: result.code }).toEqual({ argv, code: 0 });
        expect(result.stdout).toContain(`usage: proj ${command}`);
        expect(result.stdout).toContain(flag);
      }
    }
    expect((await run(["embed", "--help"])).stdout).not.toContain("--json");
  });
});
