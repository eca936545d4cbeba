/**
 * Writes a diagnostic line to stderr when `NODE_DEBUG` names `proj` (Node's debug switch, read at each call so that
 * it can be turned on after start), and nothing otherwise: what a load decided and why (a graph rewritten or left
 * as it is).
 *
 * @example
 * debugLog(`graph ${file}: loaded unchanged: it has no output "logits"`);
 * // NODE_DEBUG=proj node app.js  ->  PROJ 12345: graph /models/gpt2/onnx/model.onnx: loaded unchanged: ...
 */
export function debugLog(message: string): void {
  if (!debugEnabled()) return;
  process.stderr.write(`PROJ ${process.pid}: ${message}\n`);
}

function debugEnabled(): boolean {
  const sections = (process.env.NODE_DEBUG ?? "").split(",").map((s) => s.trim().toLowerCase());
  return sections.includes("proj") || sections.includes("*");
}
