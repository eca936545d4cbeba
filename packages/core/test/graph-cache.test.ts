import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture } from "@proj/testing";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { GraphCache, graphCacheDir } from "../src/graph/graph-cache.js";
import { acquireSession } from "../src/internal.js";

/** The disk cache of rewritten graphs: later loads open the rewritten file by path, keyed by the source's bytes. */

const root = mkdtempSync(join(tmpdir(), "proj-graph-cache-"));
const saved = { cache: process.env.PROJ_CACHE_DIR, debug: process.env.NODE_DEBUG };
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(root, "case-"));
  process.env.PROJ_CACHE_DIR = dir;
  process.env.NODE_DEBUG = "proj";
});
afterEach(() => {
  if (saved.cache === undefined) delete process.env.PROJ_CACHE_DIR;
  else process.env.PROJ_CACHE_DIR = saved.cache;
  if (saved.debug === undefined) delete process.env.NODE_DEBUG;
  else process.env.NODE_DEBUG = saved.debug;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Opens a file's session with the last-position rewrite and returns whether it has it and what the debug log said. */
async function open(file: string): Promise<{ rewritten: boolean; log: string }> {
  const lines: string[] = [];
  const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    const lease = await acquireSession(file, { threads: 1, lastPositionLogits: true });
    const rewritten = lease.session.lastPositionLogits;
    await lease.release();
    return { rewritten, log: lines.join("") };
  } finally {
    write.mockRestore();
  }
}

const gpt2 = join(fixture("gpt2"), "onnx/model.onnx");
const graphs = () => readdirSync(join(dir, "graphs")).filter((f) => f.endsWith(".onnx"));

describe("the graph cache", () => {
  it("the first load rewrites in memory and keeps the graph; the next opens it from the cache", async () => {
    const first = await open(gpt2);
    expect(first.rewritten).toBe(true);
    expect(first.log).toMatch(/rewritten in memory/);
    expect(first.log).toMatch(/kept in the cache/);
    expect(graphs()).toHaveLength(1);
    const second = await open(gpt2);
    expect(second.rewritten).toBe(true);
    expect(second.log).toMatch(/from the cache/);
    expect(second.log).not.toMatch(/rewritten in memory/);
  });

  it("a damaged cached graph is dropped and the model still opens; the next load rewrites it again", async () => {
    await open(gpt2);
    const [name] = graphs();
    writeFileSync(join(dir, "graphs", name as string), "not an onnx model");
    const damaged = await open(gpt2);
    expect(damaged.log).toMatch(/ONNX Runtime refused the rewritten graph/);
    expect(damaged.rewritten).toBe(false);
    expect(graphs()).toHaveLength(0);
    const again = await open(gpt2);
    expect(again.rewritten).toBe(true);
    expect(again.log).toMatch(/rewritten in memory/);
    expect(graphs()).toHaveLength(1);
  });

  it("a graph that cannot be rewritten is remembered with its reason, not parsed again", async () => {
    const file = join(fixture("bert-seq-cls"), "onnx/model.onnx");
    expect((await open(file)).log).toMatch(/loaded unchanged.*"logits" is not declared/);
    const again = await open(file);
    expect(again.rewritten).toBe(false);
    expect(again.log).toMatch(/"logits" is not declared.*\(remembered\)/);
  });

  it("keys are the SHA-256 of the bytes: same bytes, same key; other bytes, another key", async () => {
    const cache = GraphCache.open() as GraphCache;
    const a = join(dir, "a.bin");
    const b = join(dir, "b.bin");
    writeFileSync(a, "the same bytes");
    writeFileSync(b, "the same bytes");
    const { key, bytes } = await cache.keyOf(a);
    expect(Buffer.from(bytes ?? []).toString()).toBe("the same bytes"); // read once, handed to the rewrite
    expect((await cache.keyOf(a)).bytes).toBeUndefined(); // indexed now: not read again
    expect(key).toBe(createHash("sha256").update("the same bytes").digest("hex"));
    expect((await cache.keyOf(b)).key).toBe(key);
    writeFileSync(b, "other bytes, longer");
    expect((await cache.keyOf(b)).key).not.toBe(key);
  });

  it("PROJ_CACHE_DIR=off keeps nothing; the folder follows PROJ_CACHE_DIR, then XDG_CACHE_HOME", async () => {
    process.env.PROJ_CACHE_DIR = "off";
    const off = await open(gpt2);
    expect(off.rewritten).toBe(true);
    expect(existsSync(join(dir, "graphs"))).toBe(false);
    expect(graphCacheDir({ PROJ_CACHE_DIR: "/data/proj" })).toBe("/data/proj/graphs");
    expect(graphCacheDir({ XDG_CACHE_HOME: "/xdg" })).toBe("/xdg/proj/graphs");
    expect(graphCacheDir({ PROJ_CACHE_DIR: "off" })).toBeUndefined();
  });
});
