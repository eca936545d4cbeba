import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fixture } from "@proj/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AbortError,
  type DownloadProgress,
  DownloadError,
  type HubSourceOptions,
  loadModel,
  OfflineError,
  repoFolderName,
} from "../../src/index.js";
import { openSessionCount } from "../../src/internal.js";
import { COMMIT, MockHub, type MockFile, REPO } from "../support/mock-hub.js";
import { bertFeeds } from "./support.js";

/**
 * A real model (the bert-seq-cls fixture) served by the loopback mock Hub, its transfers cut, shortened, stalled or
 * cancelled midway: the load fails with a typed error naming the file, the cache never presents the partial file as
 * the model (offline loading still says "not cached"), and the next load resumes and runs.
 */

function fixtureFiles(): MockFile[] {
  const root = fixture("bert-seq-cls");
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(root).map((full) => {
    const path = relative(root, full).split("\\").join("/");
    return { path, content: readFileSync(full), lfs: path.endsWith(".onnx") };
  });
}

let hub: MockHub;
let cacheDir: string;

beforeEach(async () => {
  vi.stubEnv("HF_ENDPOINT", "http://127.0.0.1:9");
  vi.stubEnv("HF_HUB_OFFLINE", "");
  vi.stubEnv("HF_TOKEN", "");
  hub = await MockHub.start(fixtureFiles());
  cacheDir = await mkdtemp(join(tmpdir(), "proj-hub-cut-"));
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await hub.close();
  await rm(cacheDir, { recursive: true, force: true });
});

const hubOptions = (extra: HubSourceOptions = {}): HubSourceOptions => ({
  endpoint: hub.endpoint,
  cacheDir,
  token: false,
  offline: false,
  ...extra,
});
const snapshot = (path: string): string => join(cacheDir, repoFolderName(REPO), "snapshots", COMMIT, path);

async function loadsAndRuns(): Promise<void> {
  const model = await loadModel(REPO, { threads: 1, hub: hubOptions() });
  try {
    const { logits } = await model.session("model").run(bertFeeds(model.session("model").inputNames));
    expect(logits?.dims).toEqual([1, 2]);
  } finally {
    await model.dispose();
  }
}

async function rejection(work: Promise<unknown>): Promise<Error> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe("a Hub download cut off midway", () => {
  for (const [file, mode, afterBytes] of [
    ["onnx/model.onnx", "cut", 300_000],
    ["onnx/model.onnx", "short", 4096],
    ["tokenizer.json", "cut", 1000],
    ["config.json", "short", 100],
  ] as const) {
    it(`${file} (${mode} after ${afterBytes} bytes): DownloadError naming it, nothing partial kept as valid, the next load resumes`, async () => {
      hub.faults.set(file, { afterBytes, mode });
      const error = await rejection(loadModel(REPO, { threads: 1, hub: hubOptions() }));
      expect(error).toBeInstanceOf(DownloadError);
      expect(error.message).toContain(REPO);
      expect(error.message).toContain(file);
      expect(existsSync(snapshot(file))).toBe(false);
      // Offline, the partial file is not the model: the load says the file is not cached.
      const offline = await rejection(loadModel(REPO, { threads: 1, hub: hubOptions({ offline: true }) }));
      // A partial snapshot offline: an OfflineError naming the model and what is missing, never the partial bytes
      // and never "the model has no such file" (the cache's listing is not the model's).
      expect(offline).toBeInstanceOf(OfflineError);
      expect(offline.message).toContain(REPO);
      // (config.json is the first file fetched: with it missing the cache has no snapshot, not even a file list.)
      expect(offline.message).toContain(
        { "onnx/model.onnx": "onnx/*.onnx", "tokenizer.json": "tokenizer.json", "config.json": "file list" }[file],
      );
      expect(offline.message).toMatch(/local folder/);
      expect(openSessionCount()).toBe(0);
      await loadsAndRuns();
      expect(readFileSync(snapshot(file)).equals(hub.file(file).content)).toBe(true);
    });
  }

  it("a stalled transfer ends with DownloadError within the timeout, and the next load completes", async () => {
    hub.faults.set("onnx/model.onnx", { afterBytes: 50_000, mode: "stall" });
    const started = performance.now();
    const error = await rejection(loadModel(REPO, { threads: 1, hub: hubOptions({ timeoutMs: 300 }) }));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain("onnx/model.onnx");
    expect(performance.now() - started).toBeLessThan(10_000);
    await loadsAndRuns();
  });

  it("a load cancelled mid-download ends with AbortError and leaves no partial file", async () => {
    hub.faults.set("onnx/model.onnx", { afterBytes: 50_000, mode: "stall" });
    const controller = new AbortController();
    const onProgress = vi.fn((p: DownloadProgress) => {
      if (p.file === "onnx/model.onnx" && p.status === "progress" && !controller.signal.aborted) setTimeout(() => controller.abort(), 50);
    });
    const error = await rejection(loadModel(REPO, { threads: 1, signal: controller.signal, hub: hubOptions({ onProgress }) }));
    expect(error).toBeInstanceOf(AbortError);
    expect(onProgress).toHaveBeenCalledWith(expect.objectContaining({ file: "onnx/model.onnx", loaded: 50_000 }));
    expect(existsSync(snapshot("onnx/model.onnx"))).toBe(false);
    expect(openSessionCount()).toBe(0);
    hub.faults.clear();
    await loadsAndRuns();
  });
});
