import type { ArchitectureFamily } from "../config/family.js";
import { ModelNotFoundError } from "../errors.js";
import { availableDtypes } from "../session/dtype.js";

/**
 * The ONNX graphs a family needs, in the layouts Optimum exports:
 * `model` for encoders and decoders (older decoder exports: `decoder_model_merged`),
 * `encoder_model` + `decoder_model_merged` for encoder-decoders (older: `decoder_model` + `decoder_with_past_model`).
 *
 * @example
 * defaultGraphs("encoder-decoder", files, label); // ["encoder_model", "decoder_model_merged"]
 */
export function defaultGraphs(family: ArchitectureFamily, files: readonly string[], label: string): string[] {
  const has = (graph: string): boolean => availableDtypes(graph, files).length > 0;
  const onnx = files.filter((f) => f.startsWith("onnx/") && f.endsWith(".onnx"));
  if (onnx.length === 0) {
    throw new ModelNotFoundError(`${label} has no ONNX files (expected onnx/*.onnx)`, {
      hint: "export the model with `optimum-cli export onnx --model <id> <folder>`, or use an ONNX-ready Hub model such as one from Xenova/ or onnx-community/",
    });
  }
  if (family === "encoder") {
    if (has("model")) return ["model"];
  } else if (family === "decoder") {
    if (has("model")) return ["model"];
    if (has("decoder_model_merged")) return ["decoder_model_merged"];
  } else {
    if (has("encoder_model") && has("decoder_model_merged")) return ["encoder_model", "decoder_model_merged"];
    if (has("encoder_model") && has("decoder_model") && has("decoder_with_past_model")) {
      return ["encoder_model", "decoder_model", "decoder_with_past_model"];
    }
  }
  const wanted = {
    encoder: "onnx/model.onnx",
    decoder: "onnx/model.onnx or onnx/decoder_model_merged.onnx",
    "encoder-decoder": "onnx/encoder_model.onnx with onnx/decoder_model_merged.onnx (or decoder_model + decoder_with_past_model)",
  }[family];
  throw new ModelNotFoundError(`${label} is a ${family} model but has no ${wanted}; it has ${onnx.join(", ")}`, {
    hint: "export the model for its task with Optimum, or pass { graphs: [...] } naming the graphs to open",
  });
}
