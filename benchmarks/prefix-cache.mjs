/**
 * The prefix cache and chat sessions of @proj (issue 17, items 2 and 3), on the bench-size GPT-2, 2 threads:
 *
 * 1. shared prefix: a ~512-token passage (SST-2 sentences) then a ~32-token question, a different question each
 *    round. Time to first token (wall time of `generate(prompt, { maxNewTokens: 1 })`) of @proj with the passage
 *    cached (warmed once), @proj cold (`cachePrompt: false`), the floor (bare `InferenceSession.run` of the exported
 *    graph: the whole prompt, every position's logits) and transformers.js (`generate`, `max_new_tokens: 1`), rounds
 *    alternating in one process. Every round also checks that 8 greedy tokens are the same cached and cold. Then
 *    paired rounds of @proj alone: cached and cold back to back, with no other library's work in between.
 * 2. a 10-turn chat (ChatML template, SST-2 sentences as user turns, 24-token answers with end-of-sequence ignored):
 *    TTFT of every turn with a chat session, and without one (the whole history prefilled each turn, no cache).
 * 3. `@proj/server` in this process, 16 concurrent streamed chats sharing a ~400-token system prompt (different
 *    questions; 8 tokens each), after one warm-up chat: TTFT p50/p95 with the prefix cache and without it.
 *
 *   node benchmarks/prefix-cache.mjs [--threads 2] [--reps 5] [--out benchmarks/results/prefix-cache.json]
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { createChatSession, createGenerator } from "@proj/decoder";
import { createServer } from "@proj/server";
import { loadTransformers, modelDir, REPO_ROOT, sst2Dev, tjsOptions } from "./lib/context.mjs";
import { causalGreedy, causalShape, kvEntries, openSession } from "./lib/floor.mjs";
import { percentile, summarize } from "./lib/stats.mjs";

const { values: args } = parseArgs({
  options: {
    threads: { type: "string", default: "2" },
    reps: { type: "string", default: "5" },
    turns: { type: "string", default: "10" },
    out: { type: "string", default: join(REPO_ROOT, "benchmarks", "results", "prefix-cache.json") },
  },
});
const threads = Number(args.threads);
const reps = Number(args.reps);
const dir = modelDir("decoder", "bench");
const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

const sentences = sst2Dev();
const count = async (generator, text) => (await generator.model.tokenizer.encode(text, { addSpecialTokens: false })).ids.length;

/** SST-2 sentences from `from`, joined until the text has at least `tokens` tokens. */
async function passage(generator, from, tokens) {
  let text = "";
  for (let i = from; (await count(generator, text)) < tokens; i++) text += `${sentences[i]} `;
  return text;
}

async function sharedPrefix(generator) {
  const prefix = await passage(generator, 0, 512);
  const questions = sentences.slice(300).filter((s) => s.split(" ").length > 20);
  const prefixTokens = await count(generator, prefix);
  const floorSession = await openSession(join(dir, "onnx", "model.onnx"), threads);
  const entries = kvEntries(floorSession, causalShape(JSON.parse(readFileSync(join(dir, "config.json"), "utf8"))));
  const { AutoModelForCausalLM, Tensor } = await loadTransformers();
  const tjs = await AutoModelForCausalLM.from_pretrained(dir, tjsOptions(threads));
  await generator.generate(prefix, { maxNewTokens: 1 }); // the passage's blocks go into the cache
  const times = { "proj cached": [], "proj cold": [], floor: [], "transformers.js": [] };
  const cachedTokens = [];
  const promptTokens = [];
  let identical = true;
  for (let round = -1; round < reps; round++) {
    const prompt = `${prefix}Question: ${questions[round + 1]}`;
    const ids = (await generator.model.tokenizer.encode(prompt, { addSpecialTokens: false })).ids;
    const timed = async (name, run) => {
      const t = performance.now();
      const out = await run();
      if (round >= 0) times[name].push(performance.now() - t);
      return out;
    };
    const warm = await timed("proj cached", () => generator.generate(prompt, { maxNewTokens: 1 }));
    await timed("proj cold", () => generator.generate(prompt, { maxNewTokens: 1, cachePrompt: false }));
    await timed("floor", () => causalGreedy(floorSession, entries, [ids], 1, 0));
    await timed("transformers.js", () => {
      const input = new Tensor("int64", BigInt64Array.from(ids, BigInt), [1, ids.length]);
      const mask = new Tensor("int64", new BigInt64Array(ids.length).fill(1n), [1, ids.length]);
      return tjs.generate({ inputs: input, attention_mask: mask, max_new_tokens: 1, do_sample: false });
    });
    if (round >= 0) {
      cachedTokens.push(warm.metrics.cachedTokens);
      promptTokens.push(warm.metrics.promptTokens);
      const a = await generator.generate(prompt, { maxNewTokens: 8, eosTokenId: [] });
      const b = await generator.generate(prompt, { maxNewTokens: 8, eosTokenId: [], cachePrompt: false });
      identical &&= a.tokenIds.join() === b.tokenIds.join();
    }
  }
  await floorSession.release();
  await tjs.dispose();
  // Paired rounds, @proj alone: cached then cold, back to back (no other library's allocations in between).
  const paired = { cached: [], cold: [], ratio: [] };
  for (let round = 0; round < reps; round++) {
    const prompt = `${prefix}Question: ${questions[reps + 2 + round]}`;
    let t = performance.now();
    await generator.generate(prompt, { maxNewTokens: 1 });
    const cached = performance.now() - t;
    t = performance.now();
    await generator.generate(prompt, { maxNewTokens: 1, cachePrompt: false });
    const cold = performance.now() - t;
    paired.cached.push(cached);
    paired.cold.push(cold);
    paired.ratio.push(cold / cached);
  }
  const medians = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, summarize(v)]));
  return {
    prefixTokens,
    promptTokens: summarize(promptTokens).median,
    cachedTokens: summarize(cachedTokens).median,
    medians,
    identical,
    paired: Object.fromEntries(Object.entries(paired).map(([k, v]) => [k, summarize(v)])),
  };
}

async function chatTurns(withSession) {
  const generator = await createGenerator(dir, { load: { threads }, prefixCache: withSession });
  const call = { maxNewTokens: 24, eosTokenId: [] };
  const ttft = [];
  const prompt = [];
  const cached = [];
  const turns = Number(args.turns);
  if (withSession) {
    const session = await createChatSession(generator, { system: "You are a film critic. Answer in one sentence.", chatTemplate: CHATML });
    for (let t = 0; t < turns; t++) {
      const r = await session.send(sentences[400 + t], call);
      ttft.push(r.metrics.ttftMs);
      prompt.push(r.metrics.promptTokens);
      cached.push(r.metrics.cachedTokens);
    }
    await session.dispose();
  } else {
    const history = [{ role: "system", content: "You are a film critic. Answer in one sentence." }];
    for (let t = 0; t < turns; t++) {
      history.push({ role: "user", content: sentences[400 + t] });
      const r = await generator.chat(history, { ...call, chatTemplate: CHATML });
      history.push({ role: "assistant", content: r.text });
      ttft.push(r.metrics.ttftMs);
      prompt.push(r.metrics.promptTokens);
      cached.push(r.metrics.cachedTokens);
    }
  }
  await generator.dispose();
  return { ttft, prompt, cached };
}

/** Time to the first streamed content chunk of one chat completion. */
async function streamedChat(url, system, question) {
  const start = performance.now();
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      model: "bench",
      messages: [
        { role: "system", content: system },
        { role: "user", content: question },
      ],
      max_tokens: 8,
      temperature: 0,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  let ttftMs;
  let cachedTokens = 0;
  let buffer = "";
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let at = buffer.indexOf("\n\n"); at >= 0; at = buffer.indexOf("\n\n")) {
      const data = buffer.slice(0, at).replace(/^data: /, "");
      buffer = buffer.slice(at + 2);
      if (data === "[DONE]") continue;
      const json = JSON.parse(data);
      if (json.choices?.[0]?.delta?.content && ttftMs === undefined) ttftMs = performance.now() - start;
      if (json.usage) cachedTokens = json.usage.prompt_tokens_details?.cached_tokens ?? 0;
    }
  }
  return { ttftMs: ttftMs ?? performance.now() - start, cachedTokens };
}

async function serverChats(prefixCache, system) {
  const server = await createServer({
    model: dir,
    modelId: "bench",
    load: { threads },
    chatTemplate: CHATML,
    prefixCache,
    maxSequences: 16,
  });
  const url = await server.listen(0, "127.0.0.1");
  try {
    await streamedChat(url, system, sentences[500]); // warm-up: sessions, and the system prompt's blocks when cached
    const rounds = [];
    for (let round = 0; round < Math.max(1, Math.ceil(reps / 2)); round++) {
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => streamedChat(url, system, sentences[520 + round * 16 + i])));
      const ttfts = results.map((r) => r.ttftMs);
      rounds.push({
        p50: percentile(ttfts, 50),
        p95: percentile(ttfts, 95),
        cachedTokens: summarize(results.map((r) => r.cachedTokens)).median,
      });
    }
    return {
      p50: summarize(rounds.map((r) => r.p50)).median,
      p95: summarize(rounds.map((r) => r.p95)).median,
      cachedTokens: summarize(rounds.map((r) => r.cachedTokens)).median,
    };
  } finally {
    await server.close();
  }
}

async function main() {
  const generator = await createGenerator(dir, { load: { threads } });
  const shared = await sharedPrefix(generator);
  const systemPrompt = await passage(generator, 40, 400);
  const systemTokens = await count(generator, systemPrompt);
  await generator.dispose();
  console.error(`shared prefix: ${JSON.stringify(Object.fromEntries(Object.entries(shared.medians).map(([k, v]) => [k, v.median])))}`);

  // Chats alternate with and without a session; per turn, the median over the runs.
  const runs = { session: [], plain: [] };
  for (let run = 0; run < Math.max(1, Math.ceil(reps / 2)); run++) {
    runs.session.push(await chatTurns(true));
    runs.plain.push(await chatTurns(false));
  }
  const perTurn = (list) => ({
    ttft: list[0].ttft.map((_, t) => summarize(list.map((r) => r.ttft[t])).median),
    prompt: list[0].prompt,
    cached: list[0].cached,
    lastOverFirst: summarize(list.map((r) => r.ttft.at(-1) / r.ttft[0])),
  });
  const session = perTurn(runs.session);
  const plain = perTurn(runs.plain);
  console.error(`chat ttft with session ${session.ttft.map((t) => t.toFixed(0))}; without ${plain.ttft.map((t) => t.toFixed(0))}`);

  const withCache = await serverChats(true, systemPrompt);
  const withoutCache = await serverChats(false, systemPrompt);
  console.error(`server 16 chats: with ${JSON.stringify(withCache)}, without ${JSON.stringify(withoutCache)}`);

  const result = {
    model: "GPT-2-small-shaped (bench)",
    threads,
    reps,
    shared,
    chat: { runs: runs.session.length, session, plain },
    server: { systemTokens, withCache, withoutCache },
  };
  mkdirSync(dirname(args.out), { recursive: true });
  writeFileSync(args.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(report(result));
}

function report({ shared, chat, server, threads, reps }) {
  const m = (name) => shared.medians[name].median;
  const ratio = (a, b) => `${(a / b).toFixed(2)}×`;
  const spread = (s) => `${s.median.toFixed(2)}× (${s.min.toFixed(2)}–${s.max.toFixed(2)})`;
  const lines = [
    `Bench-size GPT-2, ${threads} threads. Shared prefix: ${shared.prefixTokens}-token passage + a question (${shared.promptTokens} tokens in all), ${reps} alternating rounds, median TTFT (ms):`,
    "",
    "| proj, passage cached | proj cold | floor (all logits) | transformers.js | cold ÷ cached | floor ÷ cached | transformers.js ÷ cached |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    `| ${m("proj cached").toFixed(1)} (${shared.cachedTokens} tokens cached) | ${m("proj cold").toFixed(1)} | ${m("floor").toFixed(1)} | ${m("transformers.js").toFixed(1)} | ${ratio(m("proj cold"), m("proj cached"))} | ${ratio(m("floor"), m("proj cached"))} | ${ratio(m("transformers.js"), m("proj cached"))} |`,
    "",
    `8 greedy tokens identical cached and cold in every round: ${shared.identical}.`,
    "",
    `Paired rounds of @proj alone (cached, then cold, back to back; ${reps} rounds): cached ${shared.paired.cached.median.toFixed(1)} ms, cold ${shared.paired.cold.median.toFixed(1)} ms, cold ÷ cached ${shared.paired.ratio.median.toFixed(2)}× (rounds ${shared.paired.ratio.min.toFixed(2)}–${shared.paired.ratio.max.toFixed(2)}×).`,
    "",
    `${chat.session.ttft.length}-turn chat, median TTFT per turn over ${chat.runs} runs (ms), prompt tokens (cached); last column: median over runs of turn ${chat.session.ttft.length} ÷ turn 1 (min–max):`,
    "",
    `| turn | ${chat.session.ttft.map((_, i) => i + 1).join(" | ")} | turn ${chat.session.ttft.length} ÷ turn 1 |`,
    `| --- | ${chat.session.ttft.map(() => "---:").join(" | ")} | ---: |`,
    `| chat session | ${chat.session.ttft.map((t, i) => `${t.toFixed(0)} (${chat.session.prompt[i]}, ${chat.session.cached[i]})`).join(" | ")} | ${spread(chat.session.lastOverFirst)} |`,
    `| no session, no cache | ${chat.plain.ttft.map((t, i) => `${t.toFixed(0)} (${chat.plain.prompt[i]})`).join(" | ")} | ${spread(chat.plain.lastOverFirst)} |`,
    "",
    `@proj/server, 16 concurrent streamed chats sharing a ${server.systemTokens}-token system prompt (8 tokens each), TTFT (ms):`,
    "",
    "| | p50 | p95 | cached tokens per request (median) |",
    "| --- | ---: | ---: | ---: |",
    `| prefix cache | ${server.withCache.p50.toFixed(0)} | ${server.withCache.p95.toFixed(0)} | ${server.withCache.cachedTokens} |`,
    `| no prefix cache | ${server.withoutCache.p50.toFixed(0)} | ${server.withoutCache.p95.toFixed(0)} | ${server.withoutCache.cachedTokens} |`,
    `| without ÷ with | ${ratio(server.withoutCache.p50, server.withCache.p50)} | ${ratio(server.withoutCache.p95, server.withCache.p95)} | |`,
  ];
  return lines.join("\n");
}

await main();
