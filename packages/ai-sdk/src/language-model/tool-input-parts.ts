import type { LanguageModelV3StreamPart } from "@ai-sdk/provider";
import type { ToolCall, ToolCallDelta } from "@proj/decoder";

/**
 * Turns a chat stream's tool-call deltas into the AI SDK's stream parts: `tool-input-start` on a call's first delta,
 * `tool-input-delta` for each piece of its JSON input, `tool-input-end` once the next call starts or the answer
 * ends; then, at the end, a `tool-call` for each call of the result (a call that did not stream, e.g. under beam
 * search, gets its input parts whole first).
 *
 * @example
 * const parts = new ToolInputParts((part) => controller.enqueue(part));
 * for await (const chunk of stream) for (const d of chunk.toolCallDeltas ?? []) parts.add(d);
 * parts.finish((await stream.result).toolCalls);
 */
export class ToolInputParts {
  readonly #emit: (part: LanguageModelV3StreamPart) => void;
  /** Ids of the streamed calls, by index. */
  readonly #ids: string[] = [];
  #open: string | undefined;

  /** @param emit - receives each stream part */
  constructor(emit: (part: LanguageModelV3StreamPart) => void) {
    this.#emit = emit;
  }

  /**
   * Emits the parts of one delta.
   *
   * @example
   * parts.add({ index: 0, id: "call_1", name: "weather", arguments: "" }); // tool-input-start
   */
  add(delta: ToolCallDelta): void {
    if (delta.id !== undefined) {
      this.#end();
      this.#ids[delta.index] = delta.id;
      this.#open = delta.id;
      this.#emit({ type: "tool-input-start", id: delta.id, toolName: delta.name ?? "" });
    }
    const id = this.#ids[delta.index];
    if (id !== undefined && delta.arguments !== "") this.#emit({ type: "tool-input-delta", id, delta: delta.arguments });
  }

  /**
   * Ends the open input and emits the result's calls.
   *
   * @example
   * parts.finish(result.toolCalls); // tool-input-end, tool-call ...
   */
  finish(calls: readonly ToolCall[]): void {
    this.#end();
    for (const call of calls) {
      const input = JSON.stringify(call.arguments);
      if (!this.#ids.includes(call.id)) {
        this.#emit({ type: "tool-input-start", id: call.id, toolName: call.name });
        this.#emit({ type: "tool-input-delta", id: call.id, delta: input });
        this.#emit({ type: "tool-input-end", id: call.id });
      }
      this.#emit({ type: "tool-call", toolCallId: call.id, toolName: call.name, input });
    }
  }

  #end(): void {
    if (this.#open !== undefined) this.#emit({ type: "tool-input-end", id: this.#open });
    this.#open = undefined;
  }
}
