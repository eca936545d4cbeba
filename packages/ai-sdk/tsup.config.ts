import { defineConfig } from "tsup";
import { packageConfig } from "../../tsup.base.mjs";

export default defineConfig(packageConfig({ entry: ["src/index.ts"], external: ["@proj/core", "@proj/decoder", "@proj/encoder"] }));
