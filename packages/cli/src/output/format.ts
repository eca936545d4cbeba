import type { GenerationMetrics } from "@proj/core";

/**
 * A probability or score with four decimals.
 *
 * @example
 * score(0.98765); // "0.9877"
 */
export function score(value: number): string {
  return value.toFixed(4);
}

/**
 * Rows of cells as aligned columns (two spaces apart), one line each.
 *
 * @example
 * columns([["POSITIVE", "0.9998"], ["NEGATIVE", "0.0002"]]);
 */
export function columns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/**
 * A byte count in MB or GB.
 *
 * @example
 * bytes(1.5e9); // "1.40 GiB"
 */
export function bytes(n: number): string {
  const mib = n / (1024 * 1024);
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : mib >= 10 ? `${Math.round(mib)} MiB` : `${mib.toFixed(1)} MiB`;
}

/**
 * A parameter count as 66.9M or 1.24B.
 *
 * @example
 * count(124_439_808); // "124.4M"
 */
export function count(n: number): string {
  return n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}K` : String(n);
}

/**
 * One line of generation metrics: time to first token, tokens per second, time per output token.
 *
 * @example
 * metricsLine(result.metrics); // "80 prompt (64 cached) + 30 generated tokens · TTFT 41 ms · TPOT p50 18.2 ms · 52.1 tokens/s · 0.64 s"
 */
export function metricsLine(m: GenerationMetrics): string {
  return [
    `${m.promptTokens} prompt${m.cachedTokens ? ` (${m.cachedTokens} cached)` : ""} + ${m.generatedTokens} generated tokens`,
    `TTFT ${Math.round(m.ttftMs)} ms`,
    m.tpot ? `TPOT p50 ${m.tpot.p50.toFixed(1)} ms (p95 ${m.tpot.p95.toFixed(1)})` : "TPOT not measured",
    `${m.tokensPerSecond.toFixed(1)} tokens/s`,
    `${(m.totalMs / 1000).toFixed(2)} s`,
  ].join(" · ");
}
