import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture } from "@proj/testing";
import { afterAll, describe, expect, it } from "vitest";
import { DisposedError, type LoadedModel, loadModel } from "../../src/index.js";
import { openSessionCount } from "../../src/internal.js";
import { bertFeeds } from "./support.js";

/**
 * dispose() frees native memory: loading and disposing a model many times keeps the process's resident memory
 * flat, where a leak would add one model's worth per cycle. (RSS rarely drops after a free, as the allocator keeps
 * its pages, so the measure is growth over many cycles against the cost of one open model.)
 */

const temp = mkdtempSync(join(tmpdir(), "proj-dispose-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const COPIES = 6;
const copies = Array.from({ length: COPIES }, (_, i) => {
  const dir = join(temp, `bert-${i}`);
  cpSync(fixture("bert-mlm"), dir, { recursive: true });
  return dir;
});
const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

async function loadAndRun(dir: string): Promise<LoadedModel> {
  const model = await loadModel(dir, { threads: 1 });
  const session = model.session("model");
  await session.run(bertFeeds(session.inputNames));
  return model;
}

describe("dispose() frees native memory", () => {
  it("40 load, run and dispose cycles grow RSS by far less than 40 open models would", async () => {
    for (let i = 0; i < 4; i++) await (await loadAndRun(copies[i % COPIES] as string)).dispose();
    const baseline = rssMb();
    const open: LoadedModel[] = [];
    for (const dir of copies) open.push(await loadAndRun(dir));
    const perModel = (rssMb() - baseline) / COPIES;
    expect(openSessionCount()).toBe(COPIES);
    await Promise.all(open.map((m) => m.dispose()));
    expect(openSessionCount()).toBe(0);
    const before = rssMb();
    for (let i = 0; i < 40; i++) await (await loadAndRun(copies[i % COPIES] as string)).dispose();
    const growth = rssMb() - before;
    expect(openSessionCount()).toBe(0);
    // A leak would add ~40 × perModel; allow a few models' worth of allocator slack.
    expect(growth, `perModel ${perModel.toFixed(1)} MB, growth ${growth.toFixed(1)} MB`).toBeLessThan(Math.max(8 * perModel, 64));
    expect(perModel).toBeGreaterThan(1); // the measure can see a model
  });

  it("a disposed model refuses its sessions with DisposedError, and so does a session taken before", async () => {
    const model = await loadAndRun(copies[0] as string);
    const session = model.session("model");
    await model.dispose();
    expect(model.disposed).toBe(true);
    expect(() => model.session("model")).toThrow(DisposedError);
    await expect(session.run(bertFeeds(session.inputNames))).rejects.toBeInstanceOf(DisposedError);
    await model.dispose(); // twice is fine
  });

  it("dispose() while forward passes are in flight: each pass rejects with DisposedError, never a crash", async () => {
    const model = await loadModel(copies[1] as string, { threads: 1 });
    const session = model.session("model");
    const ids = Array.from({ length: 256 }, (_, i) => BigInt(1000 + i));
    // Started in this tick and not yet run: ONNX Runtime's Node binding runs a pass in a later macrotask, while
    // dispose() frees the session before that, so every pass finds its session gone.
    const runs = Array.from({ length: 8 }, () => session.run(bertFeeds(session.inputNames, ids)));
    await model.dispose();
    const settled = await Promise.allSettled(runs);
    expect(settled.map((s) => s.status)).toEqual(Array(8).fill("rejected"));
    for (const outcome of settled) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(DisposedError);
    expect(openSessionCount()).toBe(0);
  });
});
