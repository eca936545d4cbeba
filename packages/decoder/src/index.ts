export { generate } from "./generate/generate.js";
export { createGenerator } from "./generate/generator.js";
export type {
  ChatCallOptions,
  GenerateOptions,
  Generator,
  GeneratorCallOptions,
  GeneratorChatOptions,
  GeneratorModel,
  GeneratorOptions,
  LocalGenerator,
} from "./generate/types.js";
export { stream } from "./stream/stream.js";
export { createChatSession } from "./session/chat-session.js";
export type { ChatSession, ChatSessionOptions, ChatTurnOptions } from "./session/types.js";
export { chat, streamChat } from "./chat/chat.js";
export { renderChat } from "./chat/template.js";
export {
  type GenerateObjectOptions,
  generateObject,
  type ObjectResult,
  type ObjectStream,
  type PartialObject,
  streamObject,
} from "./object/generate-object.js";
export type { InferObject, JsonSchemaObject, ObjectSchema } from "./object/object-schema.js";
export { parsePartialJson } from "./object/partial-json.js";
export { type ChatMessage, type ChatOptions, type ChatTextPart, normalizeMessages, type RenderedMessage } from "./chat/messages.js";
export { DEFAULT_CHAT_MODEL, DEFAULT_GENERATION_MODEL, defaultGenerationModel } from "./shared/defaults.js";
export type { ChatTool, ToolCall, ToolCallDelta, ToolChoice, ToolOptions, ToolParameters } from "./tools/types.js";
export { toolArguments } from "./tools/formats/tool-call-format.js";
export type { ChatResult } from "./tools/tool-chat.js";
export { disposeCachedHandles } from "@proj/core";
export {
  type FinishReason,
  type GeneratedSequence,
  type GenerationMetrics,
  type GenerationResult,
  type JsonSchema,
  type LogprobCandidate,
  type PrefixCacheOptions,
  type PrefixCacheStats,
  type ResponseFormat,
  type StreamedTokenEvent,
  type TextChunk,
  TextStream,
  type TokenEvent,
  type TokenLogprob,
} from "@proj/core";
export { createRemoteGenerator, type RemoteGenerator, type RemoteGeneratorOptions } from "./remote/index.js";
