import type { DownloadProgress } from "@proj/core";
import type { CliIO } from "../io.js";

/**
 * Progress on stderr while a model downloads and loads: a live bar per file on a terminal, one line per file
 * otherwise, nothing with `--quiet`. Results on stdout are never mixed with it.
 *
 * @example
 * const progress = new Progress(io, quiet);
 * progress.loading("Xenova/distilgpt2");
 * const generate = await pipeline("text-generation", { hub: { onProgress: progress.download } });
 * progress.done();
 */
export class Progress {
  readonly #io: CliIO;
  readonly #quiet: boolean;
  readonly #tty: boolean;
  #model = "";
  #line = false;
  #started = 0;

  /**
   * @param io - where to write (stderr).
   * @param quiet - write nothing.
   */
  constructor(io: CliIO, quiet: boolean) {
    this.#io = io;
    this.#quiet = quiet;
    this.#tty = io.stderr.isTTY === true;
  }

  /** Says which model is being loaded (on a terminal only). */
  loading(model: string): void {
    this.#model = model;
    this.#started = Date.now();
    if (this.#quiet || !this.#tty) return;
    this.#write(`loading ${model} ...`);
  }

  /** The Hub's download progress callback. */
  readonly download = (p: DownloadProgress): void => {
    if (this.#quiet) return;
    const size = p.total !== undefined ? ` (${mb(p.total)})` : "";
    if (!this.#tty) {
      if (p.status === "start") this.#io.stderr.write(`downloading ${p.model}/${p.file}${size}\n`);
      return;
    }
    if (p.status === "done") {
      this.#write(`downloaded ${p.file}${size}`);
      return;
    }
    const width = 24;
    const fraction = p.total ? Math.min(1, p.loaded / p.total) : 0;
    const bar = p.total
      ? `[${"#".repeat(Math.round(fraction * width)).padEnd(width, ".")}] ${Math.floor(fraction * 100)}%`
      : `${mb(p.loaded)}`;
    this.#write(`downloading ${p.file} ${bar} ${mb(p.loaded)}${p.total ? ` / ${mb(p.total)}` : ""}`);
  };

  /** Clears the progress line once the model is loaded. */
  done(): void {
    if (this.#quiet || !this.#tty || !this.#line) return;
    this.#io.stderr.write("\r\x1b[2K");
    this.#line = false;
    const seconds = ((Date.now() - this.#started) / 1000).toFixed(1);
    if (Date.now() - this.#started > 1500) this.#io.stderr.write(`loaded ${this.#model} in ${seconds} s\n`);
  }

  #write(text: string): void {
    const columns = this.#io.stderr.columns ?? 100;
    this.#io.stderr.write(`\r\x1b[2K${text.length > columns - 1 ? `${text.slice(0, columns - 2)}…` : text}`);
    this.#line = true;
  }
}

function mb(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
