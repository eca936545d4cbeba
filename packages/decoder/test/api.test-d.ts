import type { GenerationResult, TextStream } from "@proj/core";
import { describe, expectTypeOf, it } from "vitest";
import {
  type ChatResult,
  chat,
  type createGenerator,
  type createRemoteGenerator,
  type Generator,
  generate,
  type LocalGenerator,
  type RemoteGenerator,
  stream,
  streamChat,
  type TextChunk,
  type ToolCall,
  type ToolCallDelta,
} from "../src/index.js";

describe("the decoder API types", () => {
  it("follow the input: one prompt -> one result, an array -> an array; streams are core's TextStream", () => {
    expectTypeOf(generate("Hello")).toEqualTypeOf<Promise<GenerationResult>>();
    expectTypeOf(generate(["a", "b"], { maxNewTokens: 4 })).toEqualTypeOf<Promise<GenerationResult[]>>();
    expectTypeOf(stream("Hello")).toEqualTypeOf<TextStream<GenerationResult>>();
    expectTypeOf(chat([{ role: "user", content: [{ type: "text", text: "Hi" }] }])).toEqualTypeOf<Promise<ChatResult>>();
    expectTypeOf(streamChat([{ role: "user", content: "Hi" }], { tools: [], toolChoice: "auto" })).toEqualTypeOf<TextStream<ChatResult>>();
    expectTypeOf<ChatResult["toolCalls"][number]>().toEqualTypeOf<ToolCall>();
    expectTypeOf<TextChunk["toolCallDeltas"]>().toEqualTypeOf<readonly ToolCallDelta[] | undefined>();
    expectTypeOf<ToolCallDelta>().toEqualTypeOf<{ index: number; id?: string; name?: string; arguments: string }>();
  });

  it("local and remote handles are one Generator, and either is a model for the one-shot functions", () => {
    expectTypeOf<LocalGenerator>().toMatchTypeOf<Generator>();
    expectTypeOf<RemoteGenerator>().toMatchTypeOf<Generator>();
    expectTypeOf<Awaited<ReturnType<typeof createGenerator>>>().toEqualTypeOf<LocalGenerator>();
    expectTypeOf<ReturnType<typeof createRemoteGenerator>>().toEqualTypeOf<RemoteGenerator>();
    const remote = {} as RemoteGenerator;
    expectTypeOf(generate("Hello", { model: remote, temperature: 0.7 })).toEqualTypeOf<Promise<GenerationResult>>();
  });

  it("refuse options of the wrong shape", () => {
    const generator = {} as LocalGenerator;
    // @ts-expect-error load options go under load
    generate("x", { threads: 1 });
    // @ts-expect-error unknown option
    generate("x", { maxNewToken: 4 });
    // @ts-expect-error the model is not part of a handle's call options
    generator.generate("x", { model: "gpt2" });
    // @ts-expect-error a content part is text
    chat([{ role: "user", content: [{ type: "image_url", text: "x" }] }]);
    // @ts-expect-error toolChoice is "auto" | "none" | "required" | { name }
    chat([{ role: "user", content: "x" }], { toolChoice: "any" });
  });
});
