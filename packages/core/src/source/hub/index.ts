/** The Hugging Face Hub model source: downloads into the standard Hugging Face cache. */
export { hubSource, DEFAULT_HUB_ENDPOINT, type HubSourceOptions } from "./hub-source.js";
export { isHubId, parseHubId, isCommitHash, type HubRepoId } from "./hub-id.js";
export { resolveHubCacheDir, repoFolderName } from "./hub-cache.js";
