import { createHash } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A loopback imitation of the Hugging Face Hub for tests: a Hub server (resolve URLs, the model
 * API, the Hub's error headers) and a second server on another port acting as the LFS CDN.
 * Every request is logged, so tests can count them and inspect their headers.
 */

/** One file of the fake repository. */
export interface MockFile {
  path: string;
  content: Buffer;
  /** Served through a 302 to the CDN with `X-Linked-Etag` (sha256), like an LFS file. */
  lfs?: boolean;
}

/** A request seen by one of the servers. */
export interface LoggedRequest {
  server: "hub" | "cdn";
  method: string;
  /** The raw path and query, still URL-encoded. */
  url: string;
  headers: IncomingHttpHeaders;
}

/** How the next transfer of one file misbehaves. */
export interface Fault {
  /** Send this many body bytes (after the full `Content-Length`), then... */
  afterBytes: number;
  /**
   * ...close the connection (`"cut"`), go silent until the client gives up (`"stall"`), or end
   * the body cleanly (`"short"`: sent chunked, without `Content-Length`).
   */
  mode: "cut" | "stall" | "short";
}

export const REPO = "test-org/tiny-model";
export const RENAMED_REPO = "old-org/tiny-model";
export const GATED_REPO = "test-org/gated-model";
export const LOOP_REPO = "test-org/redirect-loop";
export const COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** Deterministic pseudo-random bytes. */
export function pseudoRandomBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The default fake repository. */
export const DEFAULT_FILES: MockFile[] = [
  { path: "config.json", content: Buffer.from(JSON.stringify({ model_type: "bert", hidden_size: 8 }, null, 2)) },
  { path: "tokenizer.json", content: Buffer.from(JSON.stringify({ version: "1.0", model: { vocab: { a: 0, b: 1 } } })) },
  { path: "sub dir/notes v1.txt", content: Buffer.from("a file whose path needs URL encoding\n") },
  { path: "onnx/model.onnx", content: pseudoRandomBytes(300_000), lfs: true },
  { path: "onnx/model_copy.onnx", content: pseudoRandomBytes(300_000), lfs: true },
];

/** The git blob sha1 the Hub uses as the ETag of a regular file. */
export function gitSha1(content: Buffer): string {
  return createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
}

/** The sha256 the Hub uses as the ETag of an LFS file. */
export function sha256(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}

/** The blob name the cache should use for a file. */
export function etagOf(file: MockFile): string {
  return file.lfs ? sha256(file.content) : gitSha1(file.content);
}

export class MockHub {
  /** Every request, in order. */
  readonly requests: LoggedRequest[] = [];
  /** Faults by file path; each applies to one transfer and is then removed. */
  readonly faults = new Map<string, Fault>();
  /** Whether the CDN honours `Range` (206) or ignores it (200). */
  rangeSupport = true;
  /** When set, the repository is private: requests without this Bearer token get 401 RepoNotFound. */
  requiredToken: string | undefined;
  /** Delay before answering a resolve request, in ms. */
  delayMs = 0;

  private constructor(
    private readonly hub: Server,
    private readonly cdn: Server,
    readonly files: MockFile[],
  ) {}

  /** Starts both servers on random loopback ports. */
  static async start(files: MockFile[] = DEFAULT_FILES): Promise<MockHub> {
    let self: MockHub | undefined;
    const hub = createServer((req, res) => self?.onHub(req, res));
    const cdn = createServer((req, res) => self?.onCdn(req, res));
    self = new MockHub(hub, cdn, files);
    await Promise.all([listen(hub), listen(cdn)]);
    return self;
  }

  /** The Hub's base URL, e.g. `http://127.0.0.1:41234`. */
  get endpoint(): string {
    return `http://127.0.0.1:${(this.hub.address() as AddressInfo).port}`;
  }

  /** The CDN's base URL (another port). */
  get cdnOrigin(): string {
    return `http://127.0.0.1:${(this.cdn.address() as AddressInfo).port}`;
  }

  /** Requests to one server, optionally only those whose decoded URL contains `part`. */
  seen(server: "hub" | "cdn", part = ""): LoggedRequest[] {
    return this.requests.filter((r) => r.server === server && decodeURIComponent(r.url).includes(part));
  }

  file(path: string): MockFile {
    const file = this.files.find((f) => f.path === path);
    if (file === undefined) throw new Error(`no mock file ${path}`);
    return file;
  }

  async close(): Promise<void> {
    for (const server of [this.hub, this.cdn]) server.closeAllConnections();
    await Promise.all([this.hub, this.cdn].map((s) => new Promise<void>((r) => s.close(() => r()))));
  }

  private onHub(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ server: "hub", method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers });
    const url = new URL(req.url ?? "/", "http://hub");
    const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
    if (parts[0] === "api" && parts[1] === "models" && parts[4] === "revision") {
      this.onApi(req, res, `${parts[2]}/${parts[3]}`, parts.slice(5).join("/"));
      return;
    }
    if (parts[2] !== "resolve" || parts.length < 5) {
      send(res, 404, {}, "Not Found");
      return;
    }
    const repo = `${parts[0]}/${parts[1]}`;
    const revision = parts[3] ?? "";
    const path = parts.slice(4).join("/");
    const answer = (): void => this.resolve(req, res, repo, revision, path, url);
    if (this.delayMs > 0) setTimeout(answer, this.delayMs);
    else answer();
  }

  private resolve(req: IncomingMessage, res: ServerResponse, repo: string, revision: string, path: string, url: URL): void {
    if (repo === RENAMED_REPO) {
      send(res, 307, { location: url.pathname.replace(`/${RENAMED_REPO}/`, `/${REPO}/`) }, "Temporary Redirect");
      return;
    }
    if (repo === LOOP_REPO) {
      send(res, 302, { location: url.pathname }, "Found");
      return;
    }
    if (repo === GATED_REPO) {
      send(res, 403, { "x-error-code": "GatedRepo", "x-error-message": "Access to this model is restricted" }, "Forbidden");
      return;
    }
    if (repo !== REPO || !this.authorized(req)) {
      send(res, 401, { "x-error-code": "RepoNotFound", "x-error-message": "Repository not found" }, "Unauthorized");
      return;
    }
    if (revision !== "main" && revision !== COMMIT) {
      send(res, 404, { "x-error-code": "RevisionNotFound", "x-error-message": "Invalid rev id" }, "Not Found");
      return;
    }
    const file = this.files.find((f) => f.path === path);
    if (file === undefined) {
      send(res, 404, { "x-error-code": "EntryNotFound", "x-error-message": "Entry not found", "x-repo-commit": COMMIT }, "Entry not found");
      return;
    }
    if (file.lfs) {
      const digest = sha256(file.content);
      send(
        res,
        302,
        {
          location: `${this.cdnOrigin}/blobs/${digest}?file=${encodeURIComponent(path)}&signature=abc`,
          "x-repo-commit": COMMIT,
          "x-linked-etag": `"${digest}"`,
          "x-linked-size": String(file.content.length),
          etag: `"${gitSha1(Buffer.from(`pointer of ${path}`))}"`,
        },
        "Found. Redirecting",
      );
      return;
    }
    this.serveBody(req, res, file, { "x-repo-commit": COMMIT, etag: `W/"${gitSha1(file.content)}"` }, true);
  }

  private onApi(req: IncomingMessage, res: ServerResponse, repo: string, revision: string): void {
    if (repo !== REPO || !this.authorized(req)) {
      send(res, 401, { "x-error-code": "RepoNotFound", "x-error-message": "Repository not found" }, "Unauthorized");
      return;
    }
    if (revision !== "main" && revision !== COMMIT) {
      send(res, 404, { "x-error-code": "RevisionNotFound" }, "Not Found");
      return;
    }
    const body = JSON.stringify({
      id: REPO,
      sha: COMMIT,
      siblings: [{ rfilename: ".gitattributes" }, ...this.files.map((f) => ({ rfilename: f.path }))],
    });
    send(res, 200, { "content-type": "application/json" }, body);
  }

  private onCdn(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push({ server: "cdn", method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers });
    const url = new URL(req.url ?? "/", "http://cdn");
    const digest = url.pathname.replace("/blobs/", "");
    const file = this.files.find((f) => f.lfs && sha256(f.content) === digest && f.path === url.searchParams.get("file"));
    if (file === undefined) {
      send(res, 404, {}, "NoSuchKey");
      return;
    }
    this.serveBody(req, res, file, { etag: `"s3-${digest.slice(0, 16)}"` }, this.rangeSupport);
  }

  private serveBody(req: IncomingMessage, res: ServerResponse, file: MockFile, headers: Record<string, string>, ranges: boolean): void {
    const size = file.content.length;
    const fault = this.faults.get(file.path);
    if (fault?.mode === "short") {
      this.faults.delete(file.path);
      res.writeHead(200, headers);
      res.end(file.content.subarray(0, fault.afterBytes));
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? "");
    let body = file.content;
    if (ranges && range !== null) {
      const start = Number(range[1]);
      if (start >= size) {
        send(res, 416, { "content-range": `bytes */${size}` }, "");
        return;
      }
      body = file.content.subarray(start);
      res.writeHead(206, {
        ...headers,
        "content-length": String(body.length),
        "content-range": `bytes ${start}-${size - 1}/${size}`,
        "accept-ranges": "bytes",
      });
    } else {
      res.writeHead(200, { ...headers, "content-length": String(size), "accept-ranges": ranges ? "bytes" : "none" });
    }
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    if (fault === undefined) {
      // Several writes, so that clients see several chunks.
      for (let at = 0; at < body.length; at += 64 * 1024) res.write(body.subarray(at, at + 64 * 1024));
      res.end();
      return;
    }
    this.faults.delete(file.path);
    res.write(body.subarray(0, fault.afterBytes), () => {
      // Give the client time to read the bytes before the cut, even on a loaded machine.
      if (fault.mode === "cut") setTimeout(() => res.socket?.destroy(), 300);
    });
  }

  private authorized(req: IncomingMessage): boolean {
    return this.requiredToken === undefined || req.headers.authorization === `Bearer ${this.requiredToken}`;
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, {
    ...headers,
    "content-type": headers["content-type"] ?? "text/plain",
    "content-length": String(Buffer.byteLength(body)),
  });
  res.end(body);
}

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
}
