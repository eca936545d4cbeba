/**
 * `proj serve` (the CLI, as a user runs it) in a child process of its own, on a free loopback port: the load test's
 * server. Its RSS is read from `/proc/<pid>/status` (the CLI runs the server in the process it starts).
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../context.mjs";

const PROJ = join(REPO_ROOT, "packages", "cli", "bin", "proj.js");

/**
 * Starts `proj serve` and resolves once it listens.
 * @param {object} options
 * @param {string} options.model - the decoder served on /v1/completions and /v1/chat/completions
 * @param {string} options.classify - the model of /v1/classify
 * @param {string} options.ner - the model of /v1/ner
 * @param {string} options.chatTemplate - a Jinja template file (the fixtures and the embedded model ship none)
 * @param {number} options.maxSequences
 * @param {number} options.maxQueue
 * @param {number} options.threads - ONNX Runtime threads
 * @returns {Promise<{ url: string, pid: number, exited: Promise<{ code: number | null, signal: string | null }>, stderr: () => string, kill: () => void }>}
 */
export function startProjServe({ model, classify, ner, chatTemplate, maxSequences, maxQueue, threads }) {
  const args = [
    PROJ,
    "serve",
    ...["--model", model, "--classify", classify, "--ner", ner, "--chat-template", chatTemplate],
    ...["--max-sequences", String(maxSequences), "--max-queue", String(maxQueue), "--threads", String(threads), "--port", "0"],
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stderr.on("data", (c) => {
    err += c;
  });
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (c) => {
      out += c;
      const url = /\bat (http:\/\/\S+) /.exec(out)?.[1];
      if (url && child.pid !== undefined) {
        child.stdout.removeAllListeners("data");
        child.stdout.resume();
        resolve({ url, pid: child.pid, exited, stderr: () => err, kill: () => child.kill("SIGKILL") });
      }
    });
    exited.then(({ code, signal }) => reject(new Error(`proj serve exited before listening (${code ?? signal}): ${err.slice(-1500)}`)));
  });
}

/**
 * The resident set size of a process, in bytes (Linux: `VmRSS` of `/proc/<pid>/status`), or NaN when unreadable.
 * @param {number} pid
 */
export function rssOf(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? Number.NaN : Number(kb) * 1024;
  } catch {
    return Number.NaN;
  }
}
