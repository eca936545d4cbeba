import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The built binary, as `npm test` builds it before testing. */
export const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "cli.js");

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `node dist/cli.js ...args`, writing `input` to its stdin (and closing it). */
export function proj(
  args: readonly string[],
  options: {
    input?: string;
    onStdout?: (text: string, kill: (s: NodeJS.Signals) => void) => void;
    cwd?: string;
    env?: Record<string, string>;
  } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, HF_HUB_OFFLINE: "1", NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      options.onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}
