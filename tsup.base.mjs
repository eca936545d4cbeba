// The build every @proj package shares; each package's tsup.config.ts adds what is its own (entries, externals,
// shims). Plain JavaScript with its types beside it (tsup.base.d.mts), so that a package's `tsc --noEmit`, whose
// rootDir is the package, reads only the declarations; tsup bundles this file into each package's config.

/** ESM and CommonJS for Node 20, declarations for both, source maps, a clean `dist`. */
export const base = {
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
};

/** A package's tsup options: {@link base} with the package's own entries and settings on top. */
export function packageConfig(options) {
  return { ...base, ...options };
}
