#!/usr/bin/env node
// Regenerates the task table of docs/choosing-an-architecture.md from @proj/chooser's data (TASK_TABLE), between
// the GENERATED markers, so the guide never drifts from the code. `--check` exits 1 when the file is out of date.
// Needs packages/chooser built (npm run build, or npm run docs which builds first).
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const file = join(root, "docs", "choosing-an-architecture.md");
const BEGIN = "<!-- BEGIN GENERATED: task table (scripts/gen-chooser-table.mjs) -->";
const END = "<!-- END GENERATED: task table -->";

const { renderTaskTableMarkdown } = await import(join(root, "packages", "chooser", "dist", "index.js")).catch((error) => {
  console.error(`gen-chooser-table: cannot load packages/chooser/dist (${error.message}); run npm run build first`);
  process.exit(1);
});

const text = await readFile(file, "utf8");
const start = text.indexOf(BEGIN);
const end = text.indexOf(END);
if (start < 0 || end < start) {
  console.error(`gen-chooser-table: ${file} lacks the markers\n  ${BEGIN}\n  ${END}`);
  process.exit(1);
}
const updated = `${text.slice(0, start + BEGIN.length)}\n\n${renderTaskTableMarkdown()}\n${text.slice(end)}`;
if (process.argv.includes("--check")) {
  if (updated !== text) {
    console.error("gen-chooser-table: docs/choosing-an-architecture.md is out of date; run node scripts/gen-chooser-table.mjs");
    process.exit(1);
  }
  console.log("gen-chooser-table: docs/choosing-an-architecture.md is up to date");
} else if (updated !== text) {
  await writeFile(file, updated);
  console.log("gen-chooser-table: updated docs/choosing-an-architecture.md");
}
