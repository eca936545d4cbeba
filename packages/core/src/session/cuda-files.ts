import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

let present: boolean | undefined;

/**
 * Whether onnxruntime-node's CUDA execution provider library is installed beside its native binding. The binding
 * lists CUDA whenever it was built with it, but the provider's shared libraries come from a download at install
 * time, which `onnxruntime-node-install=skip` (this repository's `.npmrc`, and any offline install) leaves out.
 * Checked once per process, so `device: "auto"` on such an install goes straight to the CPU without ONNX Runtime
 * printing a failed library load.
 *
 * @example
 * cudaProviderInstalled(); // false on a default install
 */
export function cudaProviderInstalled(): boolean {
  if (present === undefined) present = findCudaProvider();
  return present;
}

function findCudaProvider(): boolean {
  try {
    const root = dirname(createRequire(import.meta.url).resolve("onnxruntime-node/package.json"));
    const bin = join(root, "bin");
    if (!existsSync(bin)) return false;
    return readdirSync(bin).some((napi) => {
      const dir = join(bin, napi, process.platform, process.arch);
      return existsSync(dir) && readdirSync(dir).some((file) => /onnxruntime_providers_cuda/.test(file));
    });
  } catch {
    return false;
  }
}
