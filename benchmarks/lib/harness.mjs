import { summarize } from "./stats.mjs";

/** The three contenders, in the order they run in each round. */
export const CONTENDERS = ["proj", "transformers.js", "floor"];

/** Metrics where lower is better (latencies); the others are rates where higher is better. */
const LOWER_IS_BETTER = new Set(["ms", "ttftMs", "tpotMs", "ttftP50", "ttftP95"]);

/**
 * @typedef {object} RunOutput
 * @property {number} units - work done (sentences, tokens, requests) for the throughput
 * @property {number} [ttftMs] - time to first token
 * @property {number} [tpotMs] - time per output token after the first
 * @property {unknown} [check] - something that must be equal across contenders doing the same work (token ids), or
 *   agree by the case's `agree` function (vectors equal within a tolerance)
 * @property {Record<string, number>} [extra] - more numeric metrics, summarized like the others
 */

/**
 * @typedef {object} Contender
 * @property {string} id - "proj", "transformers.js" or "floor"
 * @property {() => Promise<void>} [setup] - loads models (not timed)
 * @property {() => Promise<RunOutput>} run - one timed repetition
 * @property {() => Promise<unknown>} [warmup] - the warm-up run (a smaller version of `run`); `run` when omitted
 * @property {() => Promise<void>} [teardown]
 * @property {string} [note] - what this contender does differently, shown under the table
 */

/**
 * Measures one case: every contender is set up, warmed up, then run interleaved (A B C A B C ...) for
 * `reps` rounds. Returns per-contender summaries (median, min, max) of wall time, throughput and the latency
 * metrics the runs report, and per-round speed ratios of @proj against each other contender (a ratio from
 * runs done seconds apart is steadier on a noisy machine than a ratio of medians).
 *
 * The contenders' `check` outputs are compared: by default those of the first round, for exact equality; with
 * `agree`, those of every round, by that function (called between rounds, untimed), and the case is consistent
 * when every round agrees.
 *
 * @param {{ name: string, unit: string, contenders: Contender[], warmup: number, reps: number, log?: (s: string) => void,
 *   agree?: (checks: Record<string, unknown>) => { same: boolean, values: Record<string, unknown> } }} spec
 */
export async function measureCase({ name, unit, contenders, warmup, reps, log = () => {}, agree }) {
  const active = contenders.filter(Boolean);
  for (const c of active) await c.setup?.();
  try {
    for (let w = 0; w < warmup; w++) {
      for (const c of active) await (c.warmup ?? c.run)();
    }
    /** @type {Record<string, Array<Record<string, number>>>} */
    const samples = Object.fromEntries(active.map((c) => [c.id, []]));
    /** @type {Record<string, unknown>} */
    const checks = {};
    const verdicts = [];
    for (let rep = 0; rep < reps; rep++) {
      /** @type {Record<string, unknown>} */
      const roundChecks = {};
      for (const c of active) {
        globalThis.gc?.();
        const start = performance.now();
        const out = await c.run();
        const ms = performance.now() - start;
        const sample = { ms, throughput: (out.units * 1000) / ms, ...(out.extra ?? {}) };
        if (out.ttftMs !== undefined) sample.ttftMs = out.ttftMs;
        if (out.tpotMs !== undefined) sample.tpotMs = out.tpotMs;
        samples[c.id].push(sample);
        if (rep === 0 && out.check !== undefined) checks[c.id] = out.check;
        if (agree && out.check !== undefined) roundChecks[c.id] = out.check;
      }
      if (agree) verdicts.push(agree(roundChecks));
      log(`  ${name} round ${rep + 1}/${reps}: ${active.map((c) => `${c.id} ${fmt(samples[c.id].at(-1).ms)} ms`).join(", ")}`);
    }
    return {
      name,
      unit,
      reps,
      warmup,
      contenders: Object.fromEntries(active.map((c) => [c.id, { ...summaries(samples[c.id]), ...(c.note ? { note: c.note } : {}) }])),
      ratios: ratiosOf(samples),
      vsFloor: vsFloor(samples),
      consistent: agree ? agreement(verdicts) : consistency(checks),
    };
  } finally {
    for (const c of active) await c.teardown?.();
  }
}

function summaries(list) {
  const keys = new Set(list.flatMap((s) => Object.keys(s)));
  return Object.fromEntries([...keys].map((k) => [k, summarize(list.map((s) => s[k]))]));
}

/** Per-round speed ratios proj vs each other contender, for every metric both report (> 1: proj is faster). */
function ratiosOf(samples) {
  const proj = samples.proj;
  if (!proj) return {};
  const out = {};
  for (const [id, list] of Object.entries(samples)) {
    if (id === "proj") continue;
    const metrics = {};
    for (const key of Object.keys(proj[0] ?? {})) {
      if (!(key in (list[0] ?? {}))) continue;
      const values = proj.map((p, i) => {
        const other = list[i]?.[key];
        return LOWER_IS_BETTER.has(key) ? other / p[key] : p[key] / other;
      });
      metrics[key] = summarize(values);
    }
    out[`proj/${id}`] = metrics;
  }
  return out;
}

/** Per-round throughput of each contender over the floor's (1 = as fast as bare ONNX Runtime). */
function vsFloor(samples) {
  const floor = samples.floor;
  if (!floor) return undefined;
  return Object.fromEntries(
    Object.entries(samples).map(([id, list]) => [id, summarize(list.map((s, i) => s.throughput / (floor[i]?.throughput ?? Number.NaN)))]),
  );
}

function consistency(checks) {
  const entries = Object.entries(checks);
  if (entries.length < 2) return undefined;
  const reference = JSON.stringify(entries[0][1]);
  return {
    same: entries.every(([, v]) => JSON.stringify(v) === reference),
    values: Object.fromEntries(entries.map(([k, v]) => [k, short(v)])),
  };
}

/** Every round's verdict of `agree`: the first disagreeing round's values, else the last round's. */
function agreement(verdicts) {
  if (verdicts.length === 0) return undefined;
  const failed = verdicts.findIndex((v) => !v.same);
  const shown = verdicts[failed < 0 ? verdicts.length - 1 : failed];
  return { same: failed < 0, rounds: verdicts.length, ...(failed < 0 ? {} : { round: failed + 1 }), values: shown.values };
}

function short(value) {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : value;
}

function fmt(ms) {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}
