/**
 * Hand-written SVG charts (no dependencies): horizontal grouped bars with min-max whiskers and a reference line, and
 * lines over time on two value axes.
 */

export const COLORS = {
  proj: "#2563eb",
  "transformers.js": "#f59e0b",
  floor: "#6b7280",
  "continuous batching": "#2563eb",
  "one at a time": "#9ca3af",
};

const escapeXml = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * @param {object} spec
 * @param {string} spec.title
 * @param {string} spec.axis - label of the value axis
 * @param {Array<{ label: string, bars: Array<{ series: string, value: number, lo?: number, hi?: number }> }>} spec.groups
 * @param {string[]} spec.series - legend order
 * @param {number} [spec.reference] - a vertical line (e.g. 1 for a ratio)
 * @param {string} [spec.referenceLabel]
 * @returns {string} the SVG document
 */
export function barChart({ title, axis, groups, series, reference, referenceLabel }) {
  const longest = Math.max(...groups.map((g) => g.label.length), 10);
  const labelWidth = Math.min(420, 16 + Math.ceil(longest * 6.6));
  const plotWidth = 460;
  const barHeight = 14;
  const gap = 10;
  const top = 48;
  const groupHeight = series.length * barHeight + gap;
  const height = top + groups.length * groupHeight + 44;
  const width = labelWidth + plotWidth + 90;
  const values = groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.hi ?? b.value])).filter(Number.isFinite);
  const step = niceStep(Math.max(reference ?? 0, ...values, 1e-9) / 4);
  const ticks = Math.ceil(Math.max(reference ?? 0, ...values, 1e-9) / step);
  const max = step * ticks;
  const x = (v) => labelWidth + (Math.max(0, v) / max) * plotWidth;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  ];
  // legend
  let lx = labelWidth;
  for (const s of series) {
    parts.push(`<rect x="${lx}" y="28" width="10" height="10" fill="${COLORS[s] ?? "#999"}"/>`);
    parts.push(`<text x="${lx + 14}" y="37">${escapeXml(s)}</text>`);
    lx += 24 + s.length * 7;
  }
  // grid
  for (let i = 0; i <= ticks; i++) {
    const v = step * i;
    const gx = x(v);
    parts.push(`<line x1="${gx}" y1="${top - 4}" x2="${gx}" y2="${height - 36}" stroke="#e5e7eb"/>`);
    parts.push(`<text x="${gx}" y="${height - 22}" text-anchor="middle" fill="#374151">${escapeXml(tick(v))}</text>`);
  }
  parts.push(`<text x="${labelWidth + plotWidth / 2}" y="${height - 6}" text-anchor="middle" fill="#374151">${escapeXml(axis)}</text>`);
  groups.forEach((g, gi) => {
    const gy = top + gi * groupHeight;
    parts.push(
      `<text x="${labelWidth - 8}" y="${gy + (series.length * barHeight) / 2 + 4}" text-anchor="end">${escapeXml(g.label)}</text>`,
    );
    series.forEach((s, si) => {
      const bar = g.bars.find((b) => b.series === s);
      if (!bar || !Number.isFinite(bar.value)) return;
      const by = gy + si * barHeight;
      parts.push(
        `<rect x="${labelWidth}" y="${by + 1}" width="${Math.max(0.5, x(bar.value) - labelWidth)}" height="${barHeight - 2}" fill="${COLORS[s] ?? "#999"}"/>`,
      );
      if (Number.isFinite(bar.lo) && Number.isFinite(bar.hi)) {
        const cy = by + barHeight / 2;
        parts.push(`<line x1="${x(bar.lo)}" y1="${cy}" x2="${x(bar.hi)}" y2="${cy}" stroke="#111827" stroke-width="1"/>`);
        parts.push(`<line x1="${x(bar.lo)}" y1="${cy - 3}" x2="${x(bar.lo)}" y2="${cy + 3}" stroke="#111827"/>`);
        parts.push(`<line x1="${x(bar.hi)}" y1="${cy - 3}" x2="${x(bar.hi)}" y2="${cy + 3}" stroke="#111827"/>`);
      }
      parts.push(
        `<text x="${x(Math.max(bar.value, bar.hi ?? 0)) + 4}" y="${by + barHeight - 3}" fill="#111827">${escapeXml(tick(bar.value))}</text>`,
      );
    });
  });
  if (reference !== undefined) {
    const rx = x(reference);
    parts.push(`<line x1="${rx}" y1="${top - 6}" x2="${rx}" y2="${height - 36}" stroke="#dc2626" stroke-dasharray="4 3"/>`);
    if (referenceLabel) parts.push(`<text x="${rx + 3}" y="${top - 8}" fill="#dc2626">${escapeXml(referenceLabel)}</text>`);
  }
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}

/** The smallest of 1, 2, 2.5, 5 x 10^k that is at least `v`. */
function niceStep(v) {
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * exp >= v) return m * exp;
  return 10 * exp;
}

function tick(v) {
  if (v === 0) return "0";
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

/**
 * A line chart over time with two value axes (left and right), e.g. RSS and throughput of a load test.
 * @param {object} spec
 * @param {string} spec.title
 * @param {string} spec.xAxis - label of the time axis
 * @param {Array<{ name: string, color: string, side: "left" | "right", axis: string, points: Array<{ x: number, y: number }> }>} spec.lines
 * @param {Array<{ x: number, label: string }>} [spec.marks] - dashed vertical lines (events)
 * @returns {string} the SVG document
 */
export function lineChart({ title, xAxis, lines, marks = [] }) {
  const [left, top, plotWidth, plotHeight] = [70, 48, 560, 220];
  const width = left + plotWidth + 70;
  const height = top + plotHeight + 48;
  const xs = lines.flatMap((l) => l.points.map((p) => p.x)).filter(Number.isFinite);
  const xMax = Math.max(...xs, 1e-9);
  const xStep = niceStep(xMax / 6);
  const x = (v) => left + (v / xMax) * plotWidth;
  const scale = (side) => {
    const ys = lines
      .filter((l) => l.side === side)
      .flatMap((l) => l.points.map((p) => p.y))
      .filter(Number.isFinite);
    const step = niceStep(Math.max(...ys, 1e-9) / 4);
    const max = step * Math.ceil(Math.max(...ys, 1e-9) / step);
    return { step, max, y: (v) => top + plotHeight - (Math.max(0, v) / max) * plotHeight };
  };
  const scales = { left: scale("left"), right: scale("right") };
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(title)}</text>`,
  ];
  let lx = left;
  for (const l of lines) {
    parts.push(`<rect x="${lx}" y="28" width="10" height="10" fill="${l.color}"/>`);
    parts.push(`<text x="${lx + 14}" y="37">${escapeXml(`${l.name} (${l.axis}, ${l.side})`)}</text>`);
    lx += 40 + (l.name.length + l.axis.length + l.side.length) * 6.6;
  }
  for (let v = 0; v <= xMax + 1e-9; v += xStep) {
    parts.push(`<line x1="${x(v)}" y1="${top}" x2="${x(v)}" y2="${top + plotHeight}" stroke="#f3f4f6"/>`);
    parts.push(`<text x="${x(v)}" y="${top + plotHeight + 16}" text-anchor="middle" fill="#374151">${escapeXml(tick(v))}</text>`);
  }
  for (const side of ["left", "right"]) {
    const { step, max, y } = scales[side];
    const at = side === "left" ? left - 6 : left + plotWidth + 6;
    for (let v = 0; v <= max + 1e-9; v += step) {
      if (side === "left") parts.push(`<line x1="${left}" y1="${y(v)}" x2="${left + plotWidth}" y2="${y(v)}" stroke="#e5e7eb"/>`);
      const anchor = side === "left" ? "end" : "start";
      parts.push(`<text x="${at}" y="${y(v) + 4}" text-anchor="${anchor}" fill="#374151">${escapeXml(tick(v))}</text>`);
    }
  }
  parts.push(`<text x="${left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" fill="#374151">${escapeXml(xAxis)}</text>`);
  for (const m of marks) {
    parts.push(`<line x1="${x(m.x)}" y1="${top}" x2="${x(m.x)}" y2="${top + plotHeight}" stroke="#6b7280" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${x(m.x) + 4}" y="${top + 14}" fill="#6b7280">${escapeXml(m.label)}</text>`);
  }
  for (const l of lines) {
    const { y } = scales[l.side];
    const points = l.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    const d = points.map((p) => `${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join(" ");
    parts.push(`<polyline points="${d}" fill="none" stroke="${l.color}" stroke-width="1.5"/>`);
  }
  parts.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#9ca3af"/>`);
  parts.push("</svg>");
  return `${parts.join("\n")}\n`;
}
