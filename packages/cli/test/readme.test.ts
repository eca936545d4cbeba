import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The README's first promise: on a fresh clone with no network, its one-line example and its tour print correct
 * answers from the embedded models. The commands are read from README.md itself, so the test follows the README.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const readme = readFileSync(join(root, "README.md"), "utf8");
const emptyHfHome = mkdtempSync(join(tmpdir(), "proj-readme-hf-"));
// No network and an empty Hugging Face cache: only the embedded models can answer.
const offline = { ...process.env, HF_HUB_OFFLINE: "1", HF_HOME: emptyHfHome, HF_HUB_CACHE: join(emptyHfHome, "hub"), NO_COLOR: "1" };

afterAll(() => rmSync(emptyHfHome, { recursive: true, force: true }));

/** The first fenced block of `lang` after the heading `title`. */
function block(title: string, lang: string): string {
  const section = readme.slice(readme.indexOf(`## ${title}\n`));
  const match = section.match(new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``));
  if (!match?.[1]) throw new Error(`README.md has no ${lang} block under "## ${title}"`);
  return match[1];
}

describe("README", () => {
  it("one line, offline: `npx proj classify` answers from the embedded model, as the README shows", () => {
    const line = block("One line, offline", "sh")
      .split("\n")
      .find((l) => l.startsWith("npx proj classify"));
    expect(line).toBeDefined();
    const [command, shown] = (line as string).split("#").map((p) => p.trim());
    const args = [...(command as string).matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(2) as string[];
    expect(args).toEqual(["classify", "I love this movie"]);
    const run = spawnSync(join(root, "node_modules", ".bin", "proj"), args, { env: offline, encoding: "utf8", timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const [label, score] = run.stdout.trim().split(/\s+/);
    const [shownLabel, shownScore] = (shown as string).split(/\s+/);
    expect(label).toBe(shownLabel);
    expect(Math.abs(Number(score) - Number(shownScore))).toBeLessThan(0.002);
  });

  it("the 10-line tour runs offline and prints what its comments say", () => {
    const script = join(here, "..", ".readme-tour.mjs"); // inside the package, so @proj/pipeline resolves
    writeFileSync(script, block("A 10-line tour", "ts"));
    try {
      const run = spawnSync(process.execPath, [script], { env: offline, encoding: "utf8", timeout: 240_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toContain("label: 'POSITIVE'");
      expect(run.stdout).toMatch(/entity: 'PER'[\s\S]*word: 'Ada Lovelace'/);
      expect(run.stdout).toMatch(/entity: 'LOC'[\s\S]*word: 'London'/);
      expect(run.stdout).toContain(" in a blue shirt is"); // greedy, as generation_config.json says
      expect(run.stdout).toContain("Ein Hund rennt durch das Gras.");
    } finally {
      rmSync(script, { force: true });
    }
  });
});
