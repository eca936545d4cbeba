export { defaultModelPath, EMBEDDED_MODEL_NAMES, type EmbeddedModelName, embeddedModelOr, embeddedModelPath } from "./embedded.js";
