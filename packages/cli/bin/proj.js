#!/usr/bin/env node
// The `proj` command. This file is committed (not built) so that `npm ci` links it into node_modules/.bin even
// before the first build; it runs the built CLI, and says what to do when the package has not been built yet.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("proj: @proj/cli is not built yet. Run `npm run build` at the repository root, then try again.");
  process.exit(1);
}
await import(cli.href);
