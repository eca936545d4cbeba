import { debuglog } from "node:util";

const log = debuglog("proj");

/**
 * Writes a diagnostic line to stderr when the process runs with `NODE_DEBUG=proj` (Node's own debug switch), and
 * nothing otherwise: what a load decided and why (a graph rewritten or left as it is).
 *
 * @example
 * debugLog(`graph ${file}: loaded unchanged: it has no output "logits"`);
 * // NODE_DEBUG=proj node app.js  ->  PROJ 12345: graph /models/gpt2/onnx/model.onnx: loaded unchanged: ...
 */
export function debugLog(message: string): void {
  log("%s", message);
}
