export { createRemoteGenerator } from "./remote-generator.js";
export type { RemoteGenerator, RemoteGeneratorOptions } from "./options.js";
export { sseData } from "./sse.js";
export { wireParams, type WireParams } from "./wire-params.js";
