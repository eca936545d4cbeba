#!/usr/bin/env node
// node dist/main.js --help
import { run } from "./cli.js";

run(process.argv.slice(2), (line) => console.log(line)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
