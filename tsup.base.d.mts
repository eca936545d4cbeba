import type { Options } from "tsup";

/** ESM and CommonJS for Node 20, declarations for both, source maps, a clean `dist`. */
export declare const base: Pick<Options, "format" | "dts" | "sourcemap" | "clean" | "target">;

/** A package's tsup options: {@link base} with the package's own entries (a list) and settings on top. */
export declare function packageConfig(options: Options & { entry: string[] }): Options;
