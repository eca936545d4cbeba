export { EMBEDDED_MODEL_NAMES, type EmbeddedModelName, embeddedModelPath } from "./embedded.js";
