import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderTaskTableMarkdown, TASK_TABLE } from "../src/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");

describe("@proj/chooser stays light", () => {
  it("has no runtime dependencies", async () => {
    const pkg = JSON.parse(await readFile(join(here, "..", "package.json"), "utf8")) as { dependencies?: Record<string, string> };
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it("its sources import nothing but each other and node: built-ins (read lazily by describeModel)", async () => {
    const { readdir } = await import("node:fs/promises");
    const files = (await readdir(join(here, "..", "src"), { recursive: true })).filter((f) => f.endsWith(".ts"));
    let checked = 0;
    for (const file of files) {
      const text = await readFile(join(here, "..", "src", file), "utf8");
      for (const [, fromSpec, dynamicSpec] of text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"|\bimport\("([^"]+)"\)/gm)) {
        const spec = fromSpec ?? dynamicSpec ?? "";
        expect(spec.startsWith(".") || spec.startsWith("node:"), `${file} imports ${spec}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
  });
});

describe("the generated docs", () => {
  it("docs/choosing-an-architecture.md holds the table rendered from TASK_TABLE (run scripts/gen-chooser-table.mjs)", async () => {
    const doc = await readFile(join(root, "docs", "choosing-an-architecture.md"), "utf8");
    expect(doc).toContain(renderTaskTableMarkdown());
  });

  it("the rendered table names every task and model", () => {
    const md = renderTaskTableMarkdown();
    for (const row of TASK_TABLE) {
      expect(md).toContain(row.title);
      for (const model of row.models) expect(md).toContain(`\`${model.id}\``);
    }
  });
});
