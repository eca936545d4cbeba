import { stat } from "node:fs/promises";

/**
 * True when something exists at `path`.
 *
 * @example
 * if (await pathExists("onnx/model_quantized.onnx")) throw new InputError("exists already");
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
