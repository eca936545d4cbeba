import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createTokenClassifier } from "@proj/encoder";
import { fixture } from "@proj/testing";
import { describe, expect, it } from "vitest";
import { EMBEDDED_TRANSLATOR_NOTE } from "../src/commands/seq2seq.js";
import { findBenchScript } from "../src/index.js";
import { CLI, proj } from "./helpers.js";

const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

describe("the built binary", () => {
  it("exists (npm test builds before testing)", () => {
    expect(existsSync(CLI)).toBe(true);
  });

  it("without a command prints the usage to stderr and exits 2; --help to stdout and exits 0", async () => {
    const bare = await proj([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("usage: proj <command>");
    const help = await proj(["--help"]);
    expect(help.code).toBe(0);
    for (const command of [
      "classify",
      "ner",
      "qa",
      "fill-mask",
      "audit-bias",
      "generate",
      "chat",
      "translate",
      "summarize",
      "choose",
      "describe",
      "serve",
      "bench",
    ]) {
      expect(help.stdout).toContain(`  ${command} `);
    }
    const commandHelp = await proj(["generate", "--help"]);
    expect(commandHelp.code).toBe(0);
    expect(commandHelp.stdout).toContain("--max-new-tokens <n>");
  });
});

describe("help says what is true", () => {
  it("proj --help says defaults come from the embedded models first, and lists the task names that work as commands", async () => {
    const help = await proj(["--help"]);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, " ");
    expect(text).not.toMatch(/default model \(downloaded once/);
    expect(text).toMatch(
      /embedded in @proj\/models when the task has one \(classify, ner, fill-mask, audit-bias, generate, translate, embed;/,
    );
    expect(text).toMatch(/Task names work as commands too: .*sentiment-analysis.*token-classification.*translation_<from>_to_<to>/);
  });

  it("proj bench --help is proj's help for bench, not the raw comment of benchmarks/run.mjs", async () => {
    for (const args of [
      ["bench", "--help"],
      ["bench", "-h"],
      ["help", "bench"],
    ]) {
      const run = await proj(args);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain("usage: proj bench");
      expect(run.stdout).toContain("--scenario <name>");
      expect(run.stdout).not.toMatch(/\/\*\*|^ \* /m);
    }
  });

  it("proj serve --help lists no --json (serve prints no result), and --json is an unknown option there", async () => {
    const help = await proj(["serve", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--port <n>");
    expect(help.stdout).not.toContain("--json");
    const json = await proj(["serve", "--json"]);
    expect(json.code).toBe(2);
    expect(json.stderr).toContain("Unknown option '--json'");
  });
});

describe("bad command lines exit 2 with the usage", () => {
  it("an unknown flag", async () => {
    const run = await proj(["classify", "--bogus", "text"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--bogus'");
    expect(run.stderr).toContain("usage: proj classify");
    expect(run.stdout).toBe("");
  });

  it("an unknown flag near a known one names it, as the SDK does for options", async () => {
    const cases: Array<[string, string]> = [
      ["--top_k", "--top-k"],
      ["--max-new-token", "--max-new-tokens"],
    ];
    for (const [flag, near] of cases) {
      const run = await proj(["generate", flag, "3", "text"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`Unknown option '${flag}'; did you mean ${near}?`);
    }
  });

  it("a bad flag value, an unknown command, missing input", async () => {
    const topK = await proj(["classify", "--top-k", "lots", "text"]);
    expect(topK.code).toBe(2);
    expect(topK.stderr).toContain('--top-k must be an integer of at least 1, got "lots"');
    const unknown = await proj(["sentiment", "text"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "sentiment"');
    const empty = await proj(["classify", "-m", fixture("bert-seq-cls")], { input: "  \n" });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("no text to classify");
    const noQuestion = await proj(["qa", "context only"]);
    expect(noQuestion.code).toBe(2);
    expect(noQuestion.stderr).toContain("--question is required");
    const badTask = await proj(["choose", "sentiment"]);
    expect(badTask.code).toBe(2);
    expect(badTask.stderr).toContain('Unknown task "sentiment"');
  });
});

describe("failures exit 1 with what to do", () => {
  it("a missing model folder", async () => {
    const run = await proj(["classify", "--model", "./no/such/model", "text"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/proj classify: .*no\/such\/model does not exist/);
    expect(run.stderr).toMatch(/pass the path of a folder/);
    const describeRun = await proj(["describe", "./no/such/model"]);
    expect(describeRun.code).toBe(1);
    expect(describeRun.stderr).toContain("config.json");
  });

  it("without --model a task uses its default: the embedded model, or the chooser's Hub default (offline: a clear failure)", async () => {
    const run = await proj(["ner", "Ada Lovelace was born in London."], { env: { HF_HOME: await mkdtemp(join(tmpdir(), "proj-hf-")) } });
    if (run.code === 0) expect(run.stdout.length).toBeGreaterThan(0);
    else {
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("Xenova/bert-base-NER");
      expect(run.stderr).toMatch(/offline/i);
    }
  });

  it("a model of the wrong family", async () => {
    const run = await proj(["summarize", "-m", fixture("gpt2"), "Some text."]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("encoder-decoder");
  });
});

describe("encoder commands", () => {
  it("classify reads stdin and prints label and score", async () => {
    const run = await proj(["classify", "-m", fixture("bert-seq-cls")], { input: "I love this movie\n" });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^(POSITIVE|NEGATIVE) {2}0\.\d{4}\n$/);
  });

  it("classify --json --top-k all gives every label with scores that sum to 1", async () => {
    const run = await proj(["classify", "-m", fixture("bert-seq-cls"), "--json", "--top-k", "all", "I", "love", "it"]);
    expect(run.code).toBe(0);
    const labels = JSON.parse(run.stdout) as Array<{ label: string; score: number }>;
    expect(labels.map((l) => l.label).sort()).toEqual(["NEGATIVE", "POSITIVE"]);
    expect(labels.reduce((s, l) => s + l.score, 0)).toBeCloseTo(1, 6);
  });

  it("classify --device auto runs (on the CPU when this install has no CUDA), as --device cpu does; --device gpu is a usage error", async () => {
    const args = ["classify", "-m", fixture("bert-seq-cls"), "--json", "--top-k", "all", "I love this movie"];
    const [auto, cpu] = await Promise.all([proj([...args, "--device", "auto"]), proj([...args, "--device", "cpu"])]);
    expect(cpu.code).toBe(0);
    expect(auto.code, auto.stderr).toBe(0);
    const labels = (run: typeof cpu) => (JSON.parse(run.stdout) as Array<{ label: string }>).map((l) => l.label).sort();
    expect(labels(auto)).toEqual(labels(cpu));
    const gpu = await proj([...args, "--device", "gpu"]);
    expect(gpu.code).toBe(2);
    expect(gpu.stderr).toContain("--device must be one of cpu, cuda, auto");
  });

  it("classify --lines classifies each stdin line", async () => {
    const run = await proj(["classify", "-m", fixture("bert-seq-cls"), "--lines", "--json"], { input: "good\n\nbad\nugly\n" });
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Array<{ text: string }>).map((r) => r.text)).toEqual(["good", "bad", "ugly"]);
  });

  it("ner's text output shows each entity's word exactly as --json does (sub-word tokens such as ##lace included)", async () => {
    const text = "Ada Lovelace was born in Londonderry.";
    for (const aggregation of ["none", "simple"]) {
      const args = ["ner", "-m", fixture("bert-token-cls"), "--aggregation", aggregation, text];
      const [shown, json] = await Promise.all([proj(args), proj([...args, "--json"])]);
      expect(shown.code).toBe(0);
      const entities = JSON.parse(json.stdout) as Array<{ entity: string; word: string; start: number; end: number }>;
      const rows = shown.stdout.trimEnd().split("\n");
      expect(rows).toHaveLength(entities.length);
      rows.forEach((row, i) => {
        const e = entities[i] as (typeof entities)[number];
        expect(row.split(/ {2,}/).slice(0, 3)).toEqual([e.entity, e.word, `${e.start}-${e.end}`]);
      });
      if (aggregation === "none") expect(entities.some((e) => e.word.startsWith("##"))).toBe(true);
    }
  });

  it("ner --decoding constrained gives the encoder's constrained entities; a bad mode is a usage error", async () => {
    const text = "Ada Lovelace was born in London.";
    const run = await proj(["ner", "-m", fixture("bert-token-cls"), "--aggregation", "first", "--decoding", "constrained", "--json", text]);
    expect(run.code).toBe(0);
    const tagger = await createTokenClassifier(fixture("bert-token-cls"), { load: { threads: 1 } });
    const want = await tagger.ner(text, { aggregation: "first", decoding: "constrained" });
    await tagger.dispose();
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(want)));
    const bad = await proj(["ner", "-m", fixture("bert-token-cls"), "--decoding", "viterbi", text]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/decoding/);
  });

  it("ner --json gives offsets into the text", async () => {
    const text = "Ada Lovelace was born in London.";
    const run = await proj(["ner", "-m", fixture("bert-token-cls"), "--json", text]);
    expect(run.code).toBe(0);
    for (const e of JSON.parse(run.stdout) as Array<{ start: number; end: number }>)
      expect(text.slice(e.start, e.end).length).toBe(e.end - e.start);
  });

  it("qa quotes a span of the context, with offsets into stdin as given (leading whitespace kept)", async () => {
    const context = "\n   The Eiffel tower is in Paris.\n";
    const run = await proj(["qa", "-m", fixture("bert-qa"), "--json", "-Q", "Where is the tower?"], { input: context });
    expect(run.code).toBe(0);
    const answer = JSON.parse(run.stdout) as { answer: string; start: number; end: number };
    expect(context.slice(answer.start, answer.end)).toBe(answer.answer);
  });

  it("fill-mask takes [MASK] or <mask> whatever the model's token", async () => {
    const a = await proj(["fill-mask", "-m", fixture("bert-mlm"), "--json", "--top-k", "2", "Paris is the [MASK] of France."]);
    const b = await proj(["fill-mask", "-m", fixture("bert-mlm"), "--json", "--top-k", "2", "Paris is the <mask> of France."]);
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout)).toHaveLength(2);
    expect(b.stdout).toBe(a.stdout);
    const noMask = await proj(["fill-mask", "-m", fixture("bert-mlm"), "no mask here"]);
    expect(noMask.code).toBe(2);
  });

  it("audit-bias compares the groups given", async () => {
    const run = await proj([
      "audit-bias",
      "-m",
      fixture("bert-mlm"),
      "--json",
      "--top-k",
      "2",
      "--group",
      "men=man,he",
      "--group",
      "women=woman,she",
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { groups: Record<string, string[]>; sets: unknown[] };
    expect(report.groups).toEqual({ men: ["man", "he"], women: ["woman", "she"] });
    expect(report.sets.length).toBeGreaterThan(0);
    const oneGroup = await proj(["audit-bias", "-m", fixture("bert-mlm"), "--group", "men=man"]);
    expect(oneGroup.code).toBe(2);
  });
});

describe("generating commands", () => {
  it("generate streams the same text that --json returns", async () => {
    const args = ["generate", "-m", fixture("gpt2"), "--max-new-tokens", "8", "Once upon a time"];
    const streamed = await proj(args);
    const json = await proj([...args, "--json"]);
    expect(streamed.code).toBe(0);
    const result = JSON.parse(json.stdout) as { text: string; tokenIds: number[]; metrics: { ttftMs: number } };
    expect(result.tokenIds).toHaveLength(8);
    expect(streamed.stdout).toBe(`${result.text}\n`);
    expect(result.metrics.ttftMs).toBeGreaterThan(0);
  });

  it("generate stops on Ctrl-C with what it has and exits 130", async () => {
    let sent = false;
    const run = await proj(["generate", "-m", fixture("gpt2"), "--max-new-tokens", "1000", "Once upon a time"], {
      onStdout: (_text, kill) => {
        if (sent) return;
        sent = true;
        kill("SIGINT");
      },
    });
    expect(run.code).toBe(130);
    expect(run.stdout.length).toBeGreaterThan(0);
  });

  it("chat keeps the history across turns read from stdin", async () => {
    const dir = await mkdtemp(join(tmpdir(), "proj-cli-"));
    const template = join(dir, "chatml.jinja");
    await writeFile(template, CHATML);
    const run = await proj(
      ["chat", "-m", fixture("llama"), "--chat-template", template, "--max-new-tokens", "3", "--json", "--system", "Be brief."],
      {
        input: "Hi!\nWhat did I say?\n",
      },
    );
    expect(run.code).toBe(0);
    const turns = run.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { role: string; metrics: { promptTokens: number; cachedTokens: number } });
    expect(turns).toHaveLength(2);
    expect(turns.every((t) => t.role === "assistant")).toBe(true);
    // The second prompt holds the first exchange, whose key/values the chat session kept: only whole 16-token blocks
    // of it are reused, so at most the last 15 tokens of the first exchange are read again.
    const first = turns[0]?.metrics.promptTokens ?? 0;
    expect(turns[1]?.metrics.promptTokens).toBeGreaterThan(first + 5);
    expect(turns[0]?.metrics.cachedTokens).toBe(0);
    expect(turns[1]?.metrics.cachedTokens).toBeGreaterThanOrEqual(Math.floor(first / 16) * 16);
  });

  it("chat with a model that has no template fails with a hint", async () => {
    const run = await proj(["chat", "-m", fixture("llama")], { input: "Hi\n" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no chat template");
  });

  it("translate --to de and summarize --json on the seq2seq fixtures", async () => {
    const translated = await proj(["translate", "-m", fixture("t5"), "--to", "de", "--max-new-tokens", "4", "--json", "A dog runs."]);
    expect(translated.code).toBe(0);
    expect(JSON.parse(translated.stdout)).toMatchObject({ to: expect.stringMatching(/de|German/) });
    const summary = await proj(["summarize", "-m", fixture("bart"), "--max-new-tokens", "4", "--num-beams", "1", "--json"], {
      input: "One sentence. Another one.",
    });
    expect(summary.code).toBe(0);
    expect(JSON.parse(summary.stdout)).toMatchObject({ chunks: 1 });
  });

  it("translate on the embedded caption model says on stderr what it is for and how to pass a general model; -m does not", async () => {
    const embedded = await proj(["translate", "--max-new-tokens", "8", "A dog runs through the grass."]);
    expect(embedded.code, embedded.stderr).toBe(0);
    expect(embedded.stdout.trim().length).toBeGreaterThan(0);
    expect(embedded.stderr).toContain(EMBEDDED_TRANSLATOR_NOTE);
    expect(embedded.stderr).toContain("--model Xenova/opus-mt-en-de");
    const other = await proj(["translate", "-m", fixture("t5"), "--to", "de", "--max-new-tokens", "2", "A dog runs."]);
    expect(other.code).toBe(0);
    expect(other.stderr).not.toContain("image captions");
  });

  it("qa --generative writes an answer with a seq2seq model", async () => {
    const run = await proj(["qa", "--generative", "-m", fixture("t5"), "-Q", "Who?", "--max-new-tokens", "3", "--json", "Ada wrote it."]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("answer");
  });
});

describe("choose and describe load no model", () => {
  it("choose --json ranks models under constraints", async () => {
    const run = await proj(["choose", "sentiment-analysis", "--languages", "de", "--json"]);
    expect(run.code).toBe(0);
    const choice = JSON.parse(run.stdout) as { family: string; best: { model: { id: string } } };
    expect(choice.family).toBe("encoder");
    expect(choice.best.model.id).toBe("Xenova/bert-base-multilingual-uncased-sentiment");
    const text = await proj(["choose", "summarization", "--max-input-tokens", "6000"]);
    expect(text.stdout).toContain("Long inputs (chunk");
    const bad = await proj(["choose", "chat", "--memory-mb", "-3"]);
    expect(bad.code).toBe(2);
  });

  it("describe --json tells family, tasks, context and memory", async () => {
    const run = await proj(["describe", fixture("llama"), "--json", "--batch-size", "2", "--sequence-length", "100"]);
    expect(run.code).toBe(0);
    const d = JSON.parse(run.stdout) as { family: string; contextTokens: number; memory: { kvCacheBytes: number } };
    expect(d.family).toBe("decoder");
    expect(d.contextTokens).toBe(2048);
    expect(d.memory.kvCacheBytes).toBe(2 * 2 * 2 * 8 * 4 * 2 * (100 + 128));
  });
});

describe("serve and bench", () => {
  it("serve starts @proj/server, answers /health, and stops on SIGTERM", async () => {
    let url = "";
    let health: { status: number; body: unknown } | undefined;
    const run = await proj(["serve", "-m", fixture("gpt2"), "--port", "0"], {
      onStdout: (text, kill) => {
        if (url || !text.includes("\n")) return;
        url = / at (http:\/\/\S+) /.exec(text.split("\n")[0] as string)?.[1] ?? "none";
        fetch(`${url}/health`)
          .then(async (r) => (health = { status: r.status, body: await r.json() }))
          .finally(() => kill("SIGTERM"));
      },
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Serving, idle: the model by its folder's name, nothing in flight besides this request, nothing batched or queued.
    expect(health).toEqual({
      status: 200,
      body: { status: "ok", models: ["gpt2"], requests_in_flight: 0, batch_size: 0, queue_size: 0 },
    });
    expect(run.code).toBe(0);
  });

  it("serve --embed --rerank --zero-shot serves OpenAI embeddings, Cohere rerank and zero-shot, listed in /v1/models", async () => {
    let url = "";
    let answers: { models?: unknown; embeddings?: unknown; rerank?: unknown; zeroShot?: unknown } = {};
    const post = (path: string, body: unknown) =>
      fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then(
        async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
      );
    const run = await proj(
      [
        "serve",
        "--embed",
        fixture("bert-embed"),
        "--rerank",
        fixture("bert-cross-encoder"),
        "--zero-shot",
        fixture("bert-nli"),
        "--port",
        "0",
      ],
      {
        onStdout: (text, kill) => {
          if (url || !text.includes("\n")) return;
          url = / at (http:\/\/\S+) /.exec(text.split("\n")[0] as string)?.[1] ?? "none";
          Promise.all([
            fetch(`${url}/v1/models`).then((r) => r.json()),
            post("/v1/embeddings", { model: "bert-embed", input: ["a dog runs", "a cat sleeps"] }),
            post("/v1/rerank", { query: "a dog", documents: ["a dog runs", "stock prices fell"] }),
            post("/v1/zero-shot", { input: "a dog runs", candidate_labels: ["animals", "finance"] }),
          ])
            .then(([models, embeddings, rerank, zeroShot]) => {
              answers = { models, embeddings, rerank, zeroShot };
            })
            .finally(() => kill("SIGTERM"));
        },
      },
    );
    expect(run.code).toBe(0);
    const ids = ((answers.models as { data: Array<{ id: string }> }).data ?? []).map((m) => m.id).sort();
    expect(ids).toEqual(expect.arrayContaining(["bert-cross-encoder", "bert-embed", "bert-nli"]));
    const embeddings = answers.embeddings as { status: number; body: { data: Array<{ embedding: number[] }> } };
    expect(embeddings.status).toBe(200);
    expect(embeddings.body.data).toHaveLength(2);
    expect(embeddings.body.data[0]?.embedding.length).toBeGreaterThan(0);
    const rerank = answers.rerank as { status: number; body: { results: Array<{ index: number }> } };
    expect(rerank.status).toBe(200);
    expect(rerank.body.results.map((r) => r.index).sort()).toEqual([0, 1]);
    const zeroShot = answers.zeroShot as { status: number; body: { labels: string[]; scores: number[] } };
    expect(zeroShot.status).toBe(200);
    expect([...zeroShot.body.labels].sort()).toEqual(["animals", "finance"]);
    expect(zeroShot.body.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it("bench finds benchmarks/run.mjs of the repository, or says it is missing", () => {
    const script = findBenchScript(tmpdir());
    const repoScript = resolve(__dirname, "..", "..", "..", "benchmarks", "run.mjs");
    expect(script).toBe(existsSync(repoScript) ? repoScript : undefined);
  });
});
