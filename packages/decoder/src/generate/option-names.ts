import { optionNames } from "@proj/core/internal";
import { DECODING_OPTION_NAMES, TASK_OPTION_NAMES } from "@proj/core/internal";
import type { ChatOptions } from "../chat/messages.js";
import type { ToolOptions } from "../tools/types.js";
import type { GeneratorCallOptions, GeneratorOptions } from "./types.js";

/** What a generator call adds to the decoding options (checked by the compiler to be complete). */
const CALL_OWN = optionNames<Omit<GeneratorCallOptions, (typeof DECODING_OPTION_NAMES)[number]>>()([
  "onToken",
  "addSpecialTokens",
  "truncatePrompt",
  "cachePrompt",
]);
/** The option names of {@link ToolOptions}. @internal */
export const TOOL_OPTION_NAMES = optionNames<ToolOptions>()(["tools", "toolChoice", "parallelToolCalls"]);
const CHAT_OWN = [...optionNames<ChatOptions>()(["chatTemplate", "templateVariables"]), ...TOOL_OPTION_NAMES];

/** The option names of a {@link Generator}'s `generate` and `stream`. @internal */
export const GENERATOR_CALL_OPTION_NAMES: readonly string[] = [...DECODING_OPTION_NAMES, ...CALL_OWN];
/** The option names of a {@link Generator}'s `chat` and `streamChat`. @internal */
export const GENERATOR_CHAT_OPTION_NAMES: readonly string[] = [...GENERATOR_CALL_OPTION_NAMES, ...CHAT_OWN];
/** The option names of {@link generate} and {@link stream}. @internal */
export const GENERATE_OPTION_NAMES: readonly string[] = [...TASK_OPTION_NAMES, ...GENERATOR_CALL_OPTION_NAMES];
/** The option names of {@link chat} and {@link streamChat}. @internal */
export const CHAT_OPTION_NAMES: readonly string[] = [...TASK_OPTION_NAMES, ...GENERATOR_CHAT_OPTION_NAMES];
/** The option names of {@link createGenerator}. @internal */
export const GENERATOR_OPTION_NAMES = optionNames<GeneratorOptions>()(["load", "signal", "batching", "prefixCache"]);
