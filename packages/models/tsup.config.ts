import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.mjs";

// shims: import.meta.url (locating the embedded models beside dist) also works in the CJS build.
export default defineConfig(packageConfig({ entry: ["src/index.ts"], shims: true }));
