import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture } from "@proj/testing";
import { describe, expect, it } from "vitest";
import { proj, type Run } from "./helpers.js";

const KEY = "sk-proj-cli-3c9d7e21a4b8";

/** Starts `proj serve` with `args`; once it says where it listens, runs `probe` against its URL, then stops it with SIGTERM. */
async function serveAndProbe<T>(
  args: readonly string[],
  probe: (url: string) => Promise<T>,
  env: Record<string, string> = {},
): Promise<{ run: Run; url: string; result: T | undefined }> {
  let url = "";
  let result: T | undefined;
  const run = await proj(["serve", "-m", fixture("gpt2"), "--port", "0", ...args], {
    env,
    onStdout: (text, kill) => {
      // With --log the request log shares stdout: wait for the line that says where it serves.
      const serving = /^serving .* at (http:\/\/\S+) /m.exec(text)?.[1];
      if (url || serving === undefined) return;
      url = serving;
      probe(url)
        .then((r) => {
          result = r;
        })
        .finally(() => kill("SIGTERM"));
    },
  });
  return { run, url, result };
}

/** GET a path with an optional key, and the port rewritten onto loopback (the server may listen on 0.0.0.0). */
async function status(url: string, path: string, key?: string): Promise<number> {
  const { port } = new URL(url);
  const response = await fetch(`http://127.0.0.1:${port}${path}`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  await response.body?.cancel();
  return response.status;
}

describe("proj serve on a network address", () => {
  it("refuses --host 0.0.0.0 without a key, before loading anything, naming --api-key and --insecure-no-auth", async () => {
    const run = await proj(["serve", "-m", fixture("gpt2"), "--host", "0.0.0.0", "--port", "0"]);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/refusing to listen on 0\.0\.0\.0 without an API key/);
    expect(run.stderr).toContain("--api-key");
    expect(run.stderr).toContain("--insecure-no-auth");
  });

  it("refuses :: and a LAN address too", async () => {
    for (const host of ["::", "192.168.1.10"]) {
      const run = await proj(["serve", "-m", fixture("gpt2"), "--host", host, "--port", "0"]);
      expect(run.code, host).toBe(2);
      expect(run.stderr, host).toMatch(/without an API key/);
    }
  });

  it("serves 0.0.0.0 with --api-key: the API needs the key, /health does not, and the key is not printed", async () => {
    const { run, result } = await serveAndProbe(["--host", "0.0.0.0", "--api-key", KEY, "--log"], async (url) => ({
      without: await status(url, "/v1/models"),
      wrong: await status(url, "/v1/models", "sk-proj-wrong"),
      right: await status(url, "/v1/models", KEY),
      health: await status(url, "/health"),
      metrics: await status(url, "/metrics"),
    }));
    expect(run.code, run.stderr).toBe(0);
    expect(result).toEqual({ without: 401, wrong: 401, right: 200, health: 200, metrics: 401 });
    expect(run.stdout).toContain("API key required");
    // --log writes the request log to stdout: the requests are there, the key is not.
    expect(run.stdout).toContain('"url":"/v1/models"');
    expect(run.stdout + run.stderr).not.toContain(KEY);
  });

  it("takes the key from PROJ_API_KEY or --api-key-file, and --metrics-public opens /metrics", async () => {
    const fromEnv = await serveAndProbe(
      ["--host", "0.0.0.0", "--metrics-public"],
      async (url) => [await status(url, "/v1/models", KEY), await status(url, "/v1/models"), await status(url, "/metrics")],
      { PROJ_API_KEY: KEY },
    );
    expect(fromEnv.result).toEqual([200, 401, 200]);

    const dir = await mkdtemp(join(tmpdir(), "proj-keys-"));
    const file = join(dir, "keys.txt");
    await writeFile(file, `# the team's keys\n\n${KEY}\nsk-proj-second\n`);
    const fromFile = await serveAndProbe(["--api-key-file", file], async (url) => [
      await status(url, "/v1/models", "sk-proj-second"),
      await status(url, "/v1/models", "# the team's keys"),
    ]);
    expect(fromFile.result).toEqual([200, 401]);
  });

  it("an --api-key-file that is missing or holds no key is a usage error", async () => {
    const missing = await proj(["serve", "-m", fixture("gpt2"), "--api-key-file", "/nonexistent/keys.txt"]);
    expect(missing.code, missing.stderr).toBe(2);
    expect(missing.stderr).toMatch(/--api-key-file: cannot read \/nonexistent\/keys\.txt/);
    const dir = await mkdtemp(join(tmpdir(), "proj-keys-"));
    const empty = join(dir, "empty.txt");
    await writeFile(empty, "# nothing yet\n");
    const none = await proj(["serve", "-m", fixture("gpt2"), "--api-key-file", empty]);
    expect(none.code, none.stderr).toBe(2);
    expect(none.stderr).toMatch(/holds no key/);
  });

  it("--insecure-no-auth serves 0.0.0.0 without a key, with a warning", async () => {
    const { run, result } = await serveAndProbe(["--host", "0.0.0.0", "--insecure-no-auth"], (url) => status(url, "/v1/models"));
    expect(run.code, run.stderr).toBe(0);
    expect(result).toBe(200);
    expect(run.stderr).toMatch(/warning: 0\.0\.0\.0 is reachable from the network and no API key is required/);
  });

  it("passes the limits and CORS through: a preflight from an allowed origin is answered, a bad value is a usage error", async () => {
    const origin = "https://app.example.com";
    const { result } = await serveAndProbe(["--api-key", KEY, "--cors-origin", origin, "--max-request-seconds", "30"], async (url) => {
      const response = await fetch(`${url}/v1/completions`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
      });
      return { status: response.status, allowed: response.headers.get("access-control-allow-origin") };
    });
    expect(result).toEqual({ status: 204, allowed: origin });
    const bad = await proj(["serve", "-m", fixture("gpt2"), "--max-connections", "0"]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/--max-connections must be an integer of at least 1/);
  });
});
