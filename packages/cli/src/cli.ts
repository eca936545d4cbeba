#!/usr/bin/env node
import { processIO } from "./io.js";
import { runCli } from "./run.js";

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`proj: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
