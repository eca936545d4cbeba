import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { family, type Running, scrape, start } from "./helpers.js";

/** The prefix cache behind the server: OpenAI's cached_tokens, llama.cpp's cache_prompt, /metrics, the off switch. */

const SYSTEM =
  "You are the assistant of a public library. Opening hours: weekdays nine to six, Saturdays ten to four, closed on Sundays. Loans last three weeks and may be renewed twice. Fines are ten cents a day.";
const chat = (question: string, extra: Record<string, unknown> = {}): ChatCompletionCreateParamsNonStreaming =>
  ({
    model: "llama",
    messages: [
      { role: "system", content: SYSTEM },
      { role: "user", content: question },
    ],
    max_tokens: 6,
    temperature: 0,
    ...extra,
  }) as ChatCompletionCreateParamsNonStreaming;

let cached: Running;
let uncached: Running;
beforeAll(async () => {
  [cached, uncached] = await Promise.all([start(), start({ prefixCache: false })]);
});
afterAll(async () => {
  await Promise.all([cached?.server.close(), uncached?.server.close()]);
});

describe("the server's prefix cache", () => {
  it("a second chat sharing the system prompt reports cached_tokens and answers as a server without the cache", async () => {
    const first = await cached.client.chat.completions.create(chat("When do you open on Saturday?"));
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const second = await cached.client.chat.completions.create(chat("How long is a loan?"));
    const cachedTokens = second.usage?.prompt_tokens_details?.cached_tokens ?? 0;
    expect(cachedTokens).toBeGreaterThanOrEqual(32);
    expect(cachedTokens % 16).toBe(0);
    expect(cachedTokens).toBeLessThan(second.usage?.prompt_tokens ?? 0);
    const reference = await uncached.client.chat.completions.create(chat("How long is a loan?"));
    expect(second.choices[0]?.message.content).toBe(reference.choices[0]?.message.content);
    expect(reference.usage?.prompt_tokens_details?.cached_tokens).toBe(0);

    // Streamed, the usage chunk carries it too.
    const stream = await cached.client.chat.completions.create({
      ...chat("Are you open on Sunday?"),
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamedCached: number | undefined;
    for await (const chunk of stream) if (chunk.usage) streamedCached = chunk.usage.prompt_tokens_details?.cached_tokens;
    expect(streamedCached).toBeGreaterThanOrEqual(32);
  });

  it("cache_prompt: false prefills the whole prompt; /metrics shows lookups, hits, hit rate, bytes and cached tokens", async () => {
    const skipped = await cached.client.chat.completions.create(chat("What are the fines?", { cache_prompt: false }));
    expect(skipped.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    const families = await scrape(cached.url);
    const value = (name: string): number => Number(family(families, name).metrics[0]?.value);
    expect(value("proj_prefix_cache_lookups")).toBe(3); // the skipped request was not looked up
    expect(value("proj_prefix_cache_hits")).toBe(2);
    expect(value("proj_prefix_cache_hit_rate")).toBeGreaterThan(0);
    expect(value("proj_prefix_cache_hit_rate")).toBeLessThan(1);
    expect(value("proj_prefix_cache_bytes")).toBeGreaterThan(0);
    expect(value("proj_prefix_cache_blocks")).toBeGreaterThan(0);
    expect(value("proj_request_cached_tokens_total")).toBeGreaterThanOrEqual(64);
    const off = await scrape(uncached.url);
    expect(Number(family(off, "proj_prefix_cache_lookups").metrics[0]?.value)).toBe(0);
  });

  it("refuses a cache_prompt that is not a boolean, naming the field", async () => {
    await expect(cached.client.chat.completions.create(chat("Hi", { cache_prompt: "yes" }))).rejects.toMatchObject({ status: 400 });
  });
});
