import { type ArchitectureFamily, inferFamily } from "@proj/chooser";
import { ModelFormatError } from "../errors.js";
import type { ModelConfig } from "./model-config.js";

export type { ArchitectureFamily } from "@proj/chooser";

/**
 * Tells the architecture family of a model from its config and the ONNX files it has, by the chooser's one rule
 * (`inferFamily` of `@proj/chooser`: known `model_type`s, the head in `architectures`, then the graphs present).
 *
 * @param onnxFiles - relative paths such as `"onnx/model.onnx"`, used when the config alone does not tell.
 * @example
 * detectFamily(config, ["onnx/encoder_model.onnx", "onnx/decoder_model_merged.onnx"]); // "encoder-decoder"
 */
export function detectFamily(config: ModelConfig, onnxFiles: readonly string[] = []): ArchitectureFamily {
  const family = inferFamily({
    modelType: config.modelType,
    architectures: config.architectures,
    isEncoderDecoder: config.isEncoderDecoder,
    onnxFiles,
  });
  if (family) return family;
  throw new ModelFormatError(
    `Cannot tell the architecture family of model_type "${config.modelType}" (architectures: ${config.architectures.join(" ") || "none"})`,
    { hint: 'pass { family: "encoder" | "decoder" | "encoder-decoder" } to say how the model runs' },
  );
}
