import { mkdir, rename, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * A name beside `path` for a file being written, unique to this process and call.
 *
 * @example
 * const temp = temporaryName("/cache/refs/main"); // "/cache/refs/main.4242.k3j9x0aa.tmp"
 */
export function temporaryName(path: string): string {
  return `${path}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`;
}

/**
 * Writes a file whole or not at all: to a temporary name beside it, then renamed, so another process (or a crash)
 * never sees half a file under the name. The folder is created when missing.
 *
 * @example
 * await writeFileAtomic("/cache/graphs/abc.onnx", bytes);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryName(path);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
