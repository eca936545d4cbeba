/**
 * An @proj/server in a process of its own (so the load generator does not share its event loop), on a free
 * loopback port. Prints `{"url": ...}` once listening; closes gracefully on SIGTERM. Started by
 * scenarios/server.mjs:
 *
 *   node benchmarks/lib/server-child.mjs <modelDir> <threads> <batched|sequential>
 */
import { createServer } from "@proj/server";

const [model, threads, mode] = process.argv.slice(2);
const server = await createServer({
  model,
  modelId: "bench",
  load: { threads: Number(threads) },
  ...(mode === "sequential" ? { batching: false } : { maxSequences: 16 }),
  maxQueue: 1024,
});
const url = await server.listen(0, "127.0.0.1");
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.on("SIGTERM", async () => {
  await server.close();
  process.exit(0);
});
