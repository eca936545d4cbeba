import { spawn } from "node:child_process";
import { PassThrough, Readable } from "node:stream";
import { bigText, FUZZ_SEED, fixture, hostileText } from "@proj/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/index.js";
import { CLI, proj } from "../helpers.js";

/**
 * `proj` under hostile command lines and input: any text as arguments or stdin (lone surrogates, NUL, invalid UTF-8,
 * RTL, emoji), 1 MB on stdin, 10,000 lines: the exit code is 0, 1 (the work failed, one line saying why) or 2 (a
 * wrong command line, with the usage), never a crash or a stack trace; JSON output parses and its offsets are inside
 * the text.
 */

const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `proj` in this process with its own streams (stdin from `input`), offline. */
async function run(argv: string[], input = ""): Promise<InProcessRun> {
  const stdin = Object.assign(Readable.from([Buffer.from(input)]), { isTTY: false });
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (d: Buffer) => (stdout += d.toString()));
  err.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await runCli(argv, { stdin, stdout: out, stderr: err, env: { HF_HUB_OFFLINE: "1", NO_COLOR: "1" }, cwd: process.cwd() });
  return { code, stdout, stderr };
}

/** Spawns the built binary with raw bytes on stdin (the shared helper writes strings, always valid UTF-8). */
function projBytes(args: readonly string[], input: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, HF_HUB_OFFLINE: "1", NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function expectCleanExit(r: InProcessRun | { code: number | null; stderr: string }, what: string): void {
  expect([0, 1, 2], `${what}: exit ${r.code}, stderr ${r.stderr.slice(0, 400)}`).toContain(r.code);
  expect(r.stderr, what).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  if (r.code === 1) expect(r.stderr, what).toMatch(/^proj [a-z-]+: /m);
}

const M = (name: Parameters<typeof fixture>[0]) => ["--model", fixture(name), "--threads", "1", "--quiet"];
const COMMANDS: Array<[string, (text: string) => string[]]> = [
  ["classify", (t) => ["classify", ...M("bert-seq-cls"), "--json", "--top-k", "all", "--", t]],
  ["ner", (t) => ["ner", ...M("bert-token-cls"), "--json", "--", t]],
  ["qa", (t) => ["qa", ...M("bert-qa"), "--json", "--question", "Who?", "--", t]],
  ["fill-mask", (t) => ["fill-mask", ...M("bert-mlm"), "--json", "--", `${t} [MASK]`]],
  ["generate", (t) => ["generate", ...M("llama"), "--max-new-tokens", "3", "--", t]],
  ["translate", (t) => ["translate", ...M("t5"), "--to", "de", "--max-new-tokens", "3", "--", t]],
  ["summarize", (t) => ["summarize", ...M("bart"), "--max-new-tokens", "3", "--", t]],
];

describe("any text as arguments", () => {
  for (const [name, argv] of COMMANDS) {
    it(`${name}: exits 0, 1 or 2 without a stack trace; JSON output has offsets inside the text`, async () => {
      await fc.assert(
        fc.asyncProperty(hostileText(12), async (text) => {
          const r = await run(argv(text));
          expectCleanExit(r, `${name} ${JSON.stringify(text)}`);
          if (r.code !== 0 || !argv(text).includes("--json")) return;
          const json = JSON.parse(r.stdout) as unknown;
          const input = text.trimEnd(); // leading whitespace is kept, so offsets index the text as given
          if (name === "ner")
            for (const e of json as Array<{ start: number; end: number }>)
              expect(0 <= e.start && e.start <= e.end && e.end <= input.length).toBe(true);
          if (name === "qa") {
            for (const a of (Array.isArray(json) ? json : [json]) as Array<{ answer: string; start: number; end: number }>)
              expect(input.slice(a.start, a.end)).toBe(a.answer);
          }
        }),
        { seed: FUZZ_SEED, numRuns: 8 },
      );
    });
  }

  it("bad flag values and unknown flags exit 2 with the usage, whatever their text", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText(4),
        fc.constantFrom("--top-k", "--threads", "--max-new-tokens", "--temperature", "--aggregation", "--dtype"),
        async (value, flag) => {
          const command =
            flag === "--aggregation" ? "ner" : flag === "--max-new-tokens" || flag === "--temperature" ? "generate" : "classify";
          const r = await run([
            command,
            ...M(command === "ner" ? "bert-token-cls" : command === "generate" ? "llama" : "bert-seq-cls"),
            flag,
            `x${value}`,
            "text",
          ]);
          expectCleanExit(r, `${command} ${flag} ${JSON.stringify(value)}`);
          expect(r.code).not.toBe(0);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 20 },
    );
  });
});

describe("stdin from the built binary", () => {
  it("invalid UTF-8, NUL and lone-surrogate bytes on stdin: classify and ner answer, chat takes the turn", async () => {
    const garbage = Buffer.concat([
      Buffer.from("Ada \u0000 Lovelace "),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
      Buffer.from(" in London 😀\n"),
    ]);
    for (const argv of [
      ["classify", ...M("bert-seq-cls"), "--json"],
      ["ner", ...M("bert-token-cls"), "--json"],
    ]) {
      const r = await projBytes(argv, garbage);
      expectCleanExit({ code: r.code, stderr: r.stderr }, argv[0] as string);
      expect(r.code).toBe(0);
      expect(() => JSON.parse(r.stdout)).not.toThrow();
    }
    const { writeFile, mkdtemp } = await import("node:fs/promises");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const template = join(await mkdtemp(join(tmpdir(), "proj-cli-")), "chatml.jinja");
    await writeFile(template, CHATML);
    const chat = await proj(["chat", ...M("llama"), "--chat-template", template, "--max-new-tokens", "3"], {
      input: "Hi \u0000 there\n\uD800\n",
    });
    expectCleanExit({ code: chat.code, stderr: chat.stderr }, "chat");
    expect(chat.code).toBe(0);
  });

  it("1 MB on stdin and 10,000 lines with --lines", async () => {
    const big = await proj(["classify", ...M("bert-seq-cls"), "--json"], { input: bigText(1_000_000) });
    expect(big.code, big.stderr).toBe(0);
    expect((JSON.parse(big.stdout) as unknown[]).length).toBeGreaterThan(0);
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i} 😀 ${i % 3 ? "great" : "awful"}`).join("\n");
    const many = await proj(["classify", ...M("bert-seq-cls"), "--lines", "--json"], { input: lines });
    expect(many.code, many.stderr).toBe(0);
    expect((JSON.parse(many.stdout) as unknown[]).length).toBe(10_000);
  });
});
