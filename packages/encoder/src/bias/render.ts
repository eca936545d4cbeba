import type { BiasReport, BiasSetResult } from "./types.js";

/**
 * Renders a {@link BiasReport} as Markdown: per template set, a table of each group's top completions with their
 * probabilities, the exclusive and shared completions, and the divergence between groups; the report's disclaimer
 * (it describes the model, it does not certify it) comes first.
 *
 * @example
 * import { writeFile } from "node:fs/promises";
 * await writeFile("bias.md", renderBiasReport(await auditBias()));
 */
export function renderBiasReport(report: BiasReport): string {
  const lines: string[] = [`# Bias probe: ${escapeMd(report.model)}`, "", `> ${report.disclaimer}`, ""];
  lines.push("Groups:", "");
  for (const [name, words] of Object.entries(report.groups)) lines.push(`- **${escapeMd(name)}**: ${words.map(escapeMd).join(", ")}`);
  lines.push("");
  for (const set of report.sets) lines.push(...renderSet(set, report.topK), "");
  return `${lines.join("\n").trimEnd()}\n`;
}

function renderSet(set: BiasSetResult, topK: number): string[] {
  const names = set.groups.map((g) => g.group);
  const lines = [`## ${escapeMd(set.name)}`, "", "Templates:", "", ...set.templates.map((t) => `- \`${t}\``), ""];
  lines.push(`Top ${topK} completions per group (probability averaged over templates and words):`, "");
  lines.push(`| # | ${names.map(escapeMd).join(" | ")} |`, `|---|${names.map(() => "---").join("|")}|`);
  for (let rank = 0; rank < topK; rank++) {
    const cells = set.groups.map((g) => {
      const c = g.completions[rank];
      return c ? `${escapeMd(c.token)} (${format(c.probability)})` : "";
    });
    if (cells.every((c) => c === "")) break;
    lines.push(`| ${rank + 1} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  const exclusive = set.groups.flatMap((g) =>
    g.completions.filter((c) => g.exclusive.includes(c.token)).map((c) => ({ group: g.group, c })),
  );
  if (exclusive.length) {
    lines.push("Completions in only one group's top list, with their probability in every group:", "");
    lines.push(`| completion | only in | ${names.map(escapeMd).join(" | ")} |`, `|---|---|${names.map(() => "---").join("|")}|`);
    for (const { group, c } of exclusive)
      lines.push(`| ${escapeMd(c.token)} | ${escapeMd(group)} | ${names.map((n) => format(c.byGroup[n] ?? 0)).join(" | ")} |`);
    lines.push("");
  }
  lines.push(`Shared by all groups: ${set.shared.length ? set.shared.map(escapeMd).join(", ") : "none"}.`, "");
  for (const d of set.divergences) {
    lines.push(
      `Jensen-Shannon divergence ${escapeMd(d.groups[0])} vs ${escapeMd(d.groups[1])}: ${d.jensenShannon.toFixed(4)} bits (0 = same distribution, 1 = disjoint).`,
    );
  }
  return lines;
}

function format(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

function escapeMd(text: string): string {
  return text.replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`);
}
