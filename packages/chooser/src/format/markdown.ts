import { TASK_TABLE } from "../tasks/table.js";
import type { RecommendedModel, TaskRow } from "../tasks/types.js";

/**
 * Renders the task table as Markdown: one summary table (task, family, architectures, default model, function,
 * long inputs), then per task why that family and its recommended models with size, languages, context and
 * license. `docs/choosing-an-architecture.md` is generated from it, so the docs never drift from the data.
 *
 * @example
 * import { writeFile } from "node:fs/promises";
 * await writeFile("table.md", renderTaskTableMarkdown());
 */
export function renderTaskTableMarkdown(rows: readonly TaskRow[] = TASK_TABLE): string {
  const lines: string[] = ["| task | family | architectures | default model | served by | long inputs |", "|---|---|---|---|---|---|"];
  for (const row of rows) {
    const names = [row.task, ...row.aliases].map((n) => `\`${n}\``).join(", ");
    const family = [row.family, ...row.alternativeFamilies].join(" or ");
    const served = `\`${row.servedBy.function}()\` in \`${row.servedBy.package}\`, \`${row.servedBy.cli}\``;
    lines.push(
      `| ${row.title}<br>${names} | ${family} | ${row.architectures.join(", ")} | \`${row.defaultModel}\` | ${served} | ${row.longInput} |`,
    );
  }
  lines.push("");
  for (const row of rows) {
    lines.push(`### ${row.title}`, "", `**${row.family}** (${row.architectures.join(", ")}). ${row.why}`, "");
    lines.push("| model | architecture | parameters | fp32 / q8 size | languages | context | license |", "|---|---|---|---|---|---|---|");
    for (const model of row.models) lines.push(modelLine(model, row));
    lines.push("");
    for (const model of row.models) lines.push(`- \`${model.id}\`: ${model.note}`);
    lines.push("");
  }
  lines.push("Figures marked ≈ are approximate. Sizes are parameters × bytes per weight (4 for fp32, 1 for q8), not the exact files.");
  return `${lines.join("\n")}\n`;
}

function modelLine(model: RecommendedModel, row: TaskRow): string {
  const approx = model.approximate ? "≈" : "";
  const id = model.id === row.defaultModel ? `\`${model.id}\` (default)` : `\`${model.id}\``;
  const size = `${formatMb(model.parameters * 4)} / ${formatMb(model.parameters)}`;
  const languages = model.languageCount ? `${model.languageCount} languages` : model.languages.join(", ");
  const directions = model.directions && !model.directions.includes("*->*") ? ` (${model.directions.join(", ")})` : "";
  const license = model.commercialUse ? model.license : `${model.license} (non-commercial)`;
  return `| ${id} | ${model.architecture} | ${approx}${formatCount(model.parameters)} | ${approx}${size} | ${languages}${directions} | ${approx}${model.contextTokens.toLocaleString("en-US")} | ${license} |`;
}

function formatCount(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : `${(n / 1e6).toFixed(n < 100e6 && n % 1e6 !== 0 ? 1 : 0)}M`;
}

function formatMb(bytes: number): string {
  const mb = bytes / 1e6;
  return mb >= 1000 ? `${(mb / 1000).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}
