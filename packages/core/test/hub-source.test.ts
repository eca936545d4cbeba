import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AbortError, DownloadError, InputError, ModelNotFoundError, OfflineError } from "../src/errors.js";
import type { DownloadProgress } from "../src/source/model-source.js";
import { hubSource, isHubId, parseHubId, repoFolderName, resolveHubCacheDir, type HubSourceOptions } from "../src/source/hub/index.js";
import { COMMIT, GATED_REPO, LOOP_REPO, MockHub, RENAMED_REPO, REPO, etagOf } from "./support/mock-hub.js";

let hub: MockHub;
let cacheDir: string;

beforeEach(async () => {
  // Nothing may fall back to the real Hub or the real cache.
  vi.stubEnv("HF_ENDPOINT", "http://127.0.0.1:9");
  vi.stubEnv("HF_HUB_OFFLINE", "");
  vi.stubEnv("HF_TOKEN", "");
  hub = await MockHub.start();
  cacheDir = await mkdtemp(join(tmpdir(), "proj-hub-test-"));
  vi.stubEnv("HF_HUB_CACHE", join(cacheDir, "from-env"));
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await hub.close();
  await rm(cacheDir, { recursive: true, force: true });
});

function open(options: HubSourceOptions = {}, id = REPO) {
  return hubSource(id, { endpoint: hub.endpoint, cacheDir, token: false, offline: false, ...options });
}

const repoDir = (id = REPO): string => join(cacheDir, repoFolderName(id));
const text = (path: string): string => readFileSync(path, "utf8");
const contentOf = (file: string): Buffer => hub.file(file).content;
/** `resolveFile` without `{ optional: true }` never resolves to undefined; this narrows the type. */
function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error("expected a value");
  return value;
}
/** Compares bytes with Buffer.equals (toEqual on large buffers is slow). */
const expectBytes = (path: string, file: string): void => {
  const got = readFileSync(path);
  expect(got.length).toBe(contentOf(file).length);
  expect(got.equals(contentOf(file))).toBe(true);
};

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection");
}

describe("Hub ids", () => {
  it("tells Hub ids from local paths", () => {
    expect(isHubId("Xenova/bert-base-uncased")).toBe(true);
    expect(isHubId("gpt2")).toBe(true);
    for (const local of ["./models/bert", "/abs/model", "~/model", "..", "C:\\models\\bert"]) expect(isHubId(local)).toBe(false);
    for (const bad of ["a/b/c", "org/-name", "org--x/name", "", "org/na me"]) expect(isHubId(bad)).toBe(false);
  });

  it("rejects invalid ids, revisions and paths with InputError", async () => {
    expect(parseHubId("Xenova/gpt2")).toEqual({ id: "Xenova/gpt2", owner: "Xenova", name: "gpt2" });
    expect(() => parseHubId("a/b/c")).toThrow(InputError);
    expect(() => open({}, "not a valid id")).toThrow(InputError);
    expect(() => open({ revision: "../x" })).toThrow(InputError);
    await expect(open().resolveFile("../secrets")).rejects.toBeInstanceOf(InputError);
  });

  it("finds the cache dir as huggingface_hub does", () => {
    expect(resolveHubCacheDir("/x/cache", { HF_HUB_CACHE: "/y" })).toBe("/x/cache");
    expect(resolveHubCacheDir(undefined, { HF_HUB_CACHE: "/y", HF_HOME: "/z" })).toBe("/y");
    expect(resolveHubCacheDir(undefined, { HF_HOME: "/z" })).toBe(join("/z", "hub"));
    expect(resolveHubCacheDir(undefined, {})).toMatch(/\.cache[\\/]huggingface[\\/]hub$/);
    expect(repoFolderName("Xenova/gpt2")).toBe("models--Xenova--gpt2");
  });
});

describe("downloading into the cache", () => {
  it("serves a second resolve from the cache with zero requests", async () => {
    const path = defined(await open().resolveFile("config.json"));
    expectBytes(path, "config.json");
    const before = hub.requests.length;
    expect(before).toBe(1);
    expect(await open().resolveFile("config.json")).toBe(path);
    expect(hub.requests.length).toBe(before);
  });

  it("writes the exact huggingface_hub cache layout", async () => {
    const config = defined(await open().resolveFile("config.json"));
    const model = defined(await open().resolveFile("onnx/model.onnx"));
    const configEtag = etagOf(hub.file("config.json"));
    const modelEtag = etagOf(hub.file("onnx/model.onnx"));
    expect(readFileSync(join(repoDir(), "refs", "main"), "utf8")).toBe(COMMIT);
    expect(readdirSync(join(repoDir(), "blobs")).sort()).toEqual([configEtag, modelEtag].sort());
    expectBytes(join(repoDir(), "blobs", modelEtag), "onnx/model.onnx");
    expect(config).toBe(join(repoDir(), "snapshots", COMMIT, "config.json"));
    expect(model).toBe(join(repoDir(), "snapshots", COMMIT, "onnx", "model.onnx"));
    expect(lstatSync(config).isSymbolicLink()).toBe(true);
    expect(readlinkSync(config)).toBe(join("..", "..", "blobs", configEtag));
    expect(readlinkSync(model)).toBe(join("..", "..", "..", "blobs", modelEtag));
  });

  it("follows the LFS redirect to another port and names the blob by X-Linked-Etag", async () => {
    const path = defined(await open().resolveFile("onnx/model.onnx"));
    expectBytes(path, "onnx/model.onnx");
    expect(hub.seen("hub", "onnx/model.onnx")).toHaveLength(1);
    expect(hub.seen("cdn", "onnx/model.onnx")).toHaveLength(1);
    expect(readlinkSync(path)).toContain(etagOf(hub.file("onnx/model.onnx")));
  });

  it("follows a relative redirect of a renamed repository and caches under the id given", async () => {
    const path = defined(await open({}, RENAMED_REPO).resolveFile("config.json"));
    expectBytes(path, "config.json");
    expect(path.startsWith(repoDir(RENAMED_REPO))).toBe(true);
  });

  it("gives up on a redirect loop with DownloadError", async () => {
    await expect(open({}, LOOP_REPO).resolveFile("config.json")).rejects.toBeInstanceOf(DownloadError);
    expect(hub.requests.length).toBeLessThanOrEqual(12);
  });

  it("URL-encodes each path segment", async () => {
    const path = defined(await open().resolveFile("sub dir/notes v1.txt"));
    expectBytes(path, "sub dir/notes v1.txt");
    expect(hub.requests[0]?.url).toBe("/test-org/tiny-model/resolve/main/sub%20dir/notes%20v1.txt");
  });

  it("shares one blob between files with the same content", async () => {
    await open().resolveFile("onnx/model.onnx");
    const copy = defined(await open().resolveFile("onnx/model_copy.onnx"));
    expectBytes(copy, "onnx/model.onnx");
    expect(hub.seen("cdn")).toHaveLength(1);
  });

  it("pins a commit hash revision without writing a ref", async () => {
    const path = defined(await open({ revision: COMMIT }).resolveFile("config.json"));
    expect(path).toBe(join(repoDir(), "snapshots", COMMIT, "config.json"));
    expect(existsSync(join(repoDir(), "refs"))).toBe(false);
  });

  it("reports start, progress and done with loaded and total", async () => {
    const events: DownloadProgress[] = [];
    await open({ onProgress: (p) => events.push(p) }).resolveFile("onnx/model.onnx");
    const size = contentOf("onnx/model.onnx").length;
    expect(events[0]).toEqual({ model: REPO, file: "onnx/model.onnx", loaded: 0, total: size, status: "start" });
    expect(events.at(-1)).toEqual({ model: REPO, file: "onnx/model.onnx", loaded: size, total: size, status: "done" });
    const progress = events.filter((e) => e.status === "progress");
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.map((e) => e.loaded)).toEqual([...progress.map((e) => e.loaded)].sort((a, b) => a - b));
    expect(events.filter((e) => e.status !== "progress")).toHaveLength(2);
  });
});

describe("interrupted and cancelled transfers", () => {
  const file = "onnx/model.onnx";
  const snapshot = (): string => join(repoDir(), "snapshots", COMMIT, "onnx", "model.onnx");
  const incomplete = (): string => join(repoDir(), "blobs", `${etagOf(hub.file(file))}.incomplete`);

  it("throws DownloadError naming the id and file, leaves nothing valid, then resumes with Range", async () => {
    hub.faults.set(file, { afterBytes: 100_000, mode: "cut" });
    const error = await rejection(open().resolveFile(file));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain(REPO);
    expect(error.message).toContain(file);
    expect(existsSync(snapshot())).toBe(false);
    expect(existsSync(join(repoDir(), "blobs", etagOf(hub.file(file))))).toBe(false);
    const partial = statSync(incomplete()).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThanOrEqual(100_000);

    const path = defined(await open().resolveFile(file));
    expectBytes(path, file);
    expect(hub.seen("cdn").at(-1)?.headers.range).toBe(`bytes=${partial}-`);
    expect(existsSync(incomplete())).toBe(false);
  });

  it("restarts cleanly when the server ignores Range", async () => {
    hub.rangeSupport = false;
    hub.faults.set(file, { afterBytes: 100_000, mode: "cut" });
    await expect(open().resolveFile(file)).rejects.toBeInstanceOf(DownloadError);
    const path = defined(await open().resolveFile(file));
    expectBytes(path, file);
  });

  it("recovers from a cut in a regular (non-LFS) file", async () => {
    hub.faults.set("tokenizer.json", { afterBytes: 10, mode: "cut" });
    await expect(open().resolveFile("tokenizer.json")).rejects.toBeInstanceOf(DownloadError);
    expect(existsSync(join(repoDir(), "snapshots", COMMIT, "tokenizer.json"))).toBe(false);
    expectBytes(defined(await open().resolveFile("tokenizer.json")), "tokenizer.json");
  });

  it("rejects a body that ends cleanly but short of the announced size", async () => {
    hub.faults.set(file, { afterBytes: 1234, mode: "short" });
    const error = await rejection(open().resolveFile(file));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain(`1234 of ${contentOf(file).length} bytes`);
    expect(existsSync(snapshot())).toBe(false);
    expectBytes(defined(await open().resolveFile(file)), file);
  });

  it("throws DownloadError when a connected server goes silent past timeoutMs", async () => {
    hub.faults.set(file, { afterBytes: 1000, mode: "stall" });
    const started = Date.now();
    await expect(open({ timeoutMs: 300 }).resolveFile(file)).rejects.toBeInstanceOf(DownloadError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("aborts mid-download with AbortError and cleans up", async () => {
    hub.faults.set(file, { afterBytes: 50_000, mode: "stall" });
    const controller = new AbortController();
    let received = 0;
    const onProgress = (p: DownloadProgress): void => {
      if (p.status === "progress" && received === 0) setTimeout(() => controller.abort(), 100);
      received = p.loaded;
    };
    const error = await rejection(open({ onProgress }).resolveFile(file, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(received).toBe(50_000);
    expect(existsSync(snapshot())).toBe(false);
    expect(existsSync(incomplete())).toBe(false);
  });

  it("honours the source-level signal, and an already aborted signal makes no request", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(open({ signal: controller.signal }).resolveFile("config.json")).rejects.toBeInstanceOf(AbortError);
    await expect(open().listFiles({ signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(hub.requests).toHaveLength(0);
  });
});

describe("concurrency", () => {
  it("downloads a file once for concurrent resolves", async () => {
    const source = open();
    const paths = await Promise.all([...Array(5)].map((_, i) => (i % 2 ? open() : source).resolveFile("onnx/model.onnx")));
    expect(new Set(paths).size).toBe(1);
    expect(hub.seen("hub", "onnx/model.onnx")).toHaveLength(1);
    expect(hub.seen("cdn")).toHaveLength(1);
  });

  it("keeps downloading for the other callers when one caller aborts", async () => {
    hub.delayMs = 100;
    const controller = new AbortController();
    const first = open().resolveFile("onnx/model.onnx", { signal: controller.signal });
    const second = open().resolveFile("onnx/model.onnx");
    controller.abort();
    await expect(first).rejects.toBeInstanceOf(AbortError);
    expectBytes(defined(await second), "onnx/model.onnx");
  });
});

describe("missing files and repositories", () => {
  it("resolves a missing optional file to undefined and remembers it in .no_exist", async () => {
    expect(await open().resolveFile("generation_config.json", { optional: true })).toBeUndefined();
    expect(existsSync(join(repoDir(), ".no_exist", COMMIT, "generation_config.json"))).toBe(true);
    expect(text(join(repoDir(), "refs", "main"))).toBe(COMMIT);
    const before = hub.requests.length;
    expect(await open().resolveFile("generation_config.json", { optional: true })).toBeUndefined();
    expect(hub.requests.length).toBe(before);
  });

  it("throws ModelNotFoundError for a missing required file", async () => {
    const error = await rejection(open().resolveFile("onnx/decoder_model.onnx"));
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error.message).toContain("onnx/decoder_model.onnx");
    expect(error.message).toContain(REPO);
  });

  it("throws ModelNotFoundError with a hint about the id, a token or a local folder for a missing repo", async () => {
    const error = await rejection(open({}, "nobody/no-such-model").resolveFile("config.json"));
    expect(error).toBeInstanceOf(ModelNotFoundError);
    expect(error.message).toContain("nobody/no-such-model");
    expect((error as ModelNotFoundError).hint).toMatch(/token/);
    expect((error as ModelNotFoundError).hint).toMatch(/folder/);
    await expect(open({}, "nobody/no-such-model").listFiles()).rejects.toBeInstanceOf(ModelNotFoundError);
  });

  it("treats a plain 404 from a server that is not a Hub as a DownloadError, not a missing file", async () => {
    const source = hubSource(REPO, { endpoint: hub.cdnOrigin, cacheDir, offline: false });
    const error = await rejection(source.resolveFile("config.json", { optional: true }));
    expect(error).toBeInstanceOf(DownloadError);
    expect((error as DownloadError).status).toBe(404);
    expect(existsSync(join(repoDir(), ".no_exist"))).toBe(false);
  });

  it("names the revision when it does not exist, and the gate when the repo is gated", async () => {
    const revision = await rejection(open({ revision: "v9" }).resolveFile("config.json"));
    expect(revision).toBeInstanceOf(ModelNotFoundError);
    expect(revision.message).toContain('"v9"');
    const gated = await rejection(open({}, GATED_REPO).resolveFile("config.json"));
    expect(gated).toBeInstanceOf(ModelNotFoundError);
    expect(gated.message).toMatch(/gated/);
  });
});

describe("tokens", () => {
  it("sends the token to the endpoint but never to the CDN", async () => {
    hub.requiredToken = "hf_secret";
    await expect(open().resolveFile("config.json")).rejects.toBeInstanceOf(ModelNotFoundError);
    const path = defined(await open({ token: "hf_secret" }).resolveFile("onnx/model.onnx"));
    expectBytes(path, "onnx/model.onnx");
    expect(hub.seen("hub").at(-1)?.headers.authorization).toBe("Bearer hf_secret");
    expect(hub.seen("cdn")).toHaveLength(1);
    expect(hub.seen("cdn")[0]?.headers.authorization).toBeUndefined();
  });

  it("takes the token from HF_TOKEN", async () => {
    hub.requiredToken = "hf_env";
    vi.stubEnv("HF_TOKEN", "hf_env");
    const path = defined(await hubSource(REPO, { endpoint: hub.endpoint, cacheDir }).resolveFile("config.json"));
    expectBytes(path, "config.json");
  });
});

describe("offline", () => {
  it("fails fast with OfflineError naming the id and file, without any request", async () => {
    const error = await rejection(open({ offline: true }).resolveFile("onnx/model.onnx"));
    expect(error).toBeInstanceOf(OfflineError);
    expect(error.message).toContain(REPO);
    expect(error.message).toContain("onnx/model.onnx");
    expect((error as OfflineError).hint).toContain("local folder");
    expect((error as OfflineError).hint).toContain(cacheDir);
    expect(hub.requests).toHaveLength(0);
  });

  it("turns on with HF_HUB_OFFLINE=1", async () => {
    vi.stubEnv("HF_HUB_OFFLINE", "1");
    const source = hubSource(REPO, { endpoint: hub.endpoint, cacheDir });
    await expect(source.resolveFile("config.json")).rejects.toBeInstanceOf(OfflineError);
    expect(hub.requests).toHaveLength(0);
  });

  it("serves cached files offline, and a cached model's unknown optional file as undefined", async () => {
    const online = defined(await open().resolveFile("config.json"));
    await open().resolveFile("onnx/model.onnx");
    const before = hub.requests.length;
    const offline = open({ offline: true });
    expect(await offline.resolveFile("config.json")).toBe(online);
    expect(await offline.resolveFile("special_tokens_map.json", { optional: true })).toBeUndefined();
    await expect(offline.resolveFile("tokenizer.json")).rejects.toBeInstanceOf(OfflineError);
    expect(await offline.listFiles()).toEqual(["config.json", "onnx/model.onnx"]);
    expect(hub.requests.length).toBe(before);
  });

  it("fails fast with OfflineError when the endpoint cannot be reached", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const error = await rejection(hubSource(REPO, { endpoint, cacheDir, offline: false }).resolveFile("config.json"));
    expect(error).toBeInstanceOf(OfflineError);
    expect(error.message).toContain(REPO);
    expect(error.message).toContain("config.json");
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe("listFiles", () => {
  it("lists the repository through the API and records the commit", async () => {
    const files = await open().listFiles();
    expect(files).toEqual([".gitattributes", ...hub.files.map((f) => f.path)].sort());
    expect(hub.requests[0]?.url).toBe(`/api/models/${REPO}/revision/main`);
    expect(text(join(repoDir(), "refs", "main"))).toBe(COMMIT);
  });

  it("lists the cached snapshot offline or when the endpoint is unreachable, and fails with OfflineError on an empty cache", async () => {
    await expect(open({ offline: true }).listFiles()).rejects.toBeInstanceOf(OfflineError);
    await open().resolveFile("config.json");
    await open().resolveFile("sub dir/notes v1.txt");
    expect(await open({ offline: true }).listFiles()).toEqual(["config.json", "sub dir/notes v1.txt"]);
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    expect(await hubSource(REPO, { endpoint, cacheDir, offline: false }).listFiles()).toEqual(["config.json", "sub dir/notes v1.txt"]);
  });
});
