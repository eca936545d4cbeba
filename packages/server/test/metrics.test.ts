import { createEmbedder } from "@proj/encoder";
import { fixture } from "@proj/testing";
import type { PromFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { family, IGNORE_EOS, post, type Running, scrape, start } from "./helpers.js";

let run: Running;
beforeAll(async () => {
  run = await start();
});
afterAll(() => run?.server.close());

/** The exposition-format grammar for one sample line: name, optional labels, a value, an optional timestamp. */
const SAMPLE = /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*\})? (-?[0-9.eE+-]+|[+-]Inf|NaN)( -?\d+)?$/;

describe("/metrics", () => {
  it("is Prometheus text format with the TGI-like set, and counts what the server did", async () => {
    await Promise.all(
      Array.from({ length: 4 }, () =>
        run.client.completions.create({ model: "llama", prompt: "Hello", max_tokens: 5, temperature: 0, ...IGNORE_EOS }),
      ),
    );
    const response = await fetch(`${run.url}/metrics`);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    for (const line of text.split("\n")) {
      if (line === "" || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) continue;
      expect(line).toMatch(SAMPLE);
    }

    const families = await scrape(run.url);
    const types: Record<string, string> = {
      proj_requests_total: "COUNTER",
      proj_request_duration_seconds: "HISTOGRAM",
      proj_request_queue_duration_seconds: "HISTOGRAM",
      proj_request_time_to_first_token_seconds: "HISTOGRAM",
      proj_request_inter_token_latency_seconds: "HISTOGRAM",
      proj_request_generated_tokens: "HISTOGRAM",
      proj_generated_tokens_total: "COUNTER",
      proj_request_input_tokens: "HISTOGRAM",
      proj_batch_size: "HISTOGRAM",
      proj_batch_current_size: "GAUGE",
      proj_queue_size: "GAUGE",
      proj_requests_in_flight: "GAUGE",
    };
    for (const [name, type] of Object.entries(types)) expect({ name, type: family(families, name).type }).toEqual({ name, type });

    expect(Number(family(families, "proj_generated_tokens_total").metrics[0]?.value)).toBe(20);
    expect(Number(family(families, "proj_request_generated_tokens").metrics[0]?.count)).toBe(4);
    expect(Number(family(families, "proj_request_time_to_first_token_seconds").metrics[0]?.count)).toBe(4);
    const completions = family(families, "proj_requests_total").metrics.find(
      (m) => m.labels?.endpoint === "/v1/completions" && m.labels.status === "200",
    );
    expect(Number(completions?.value)).toBe(4);
    expect(Number(family(families, "proj_queue_size").metrics[0]?.value)).toBe(0);
    expect(family(families, "process_resident_memory_bytes").type).toBe("GAUGE");
  });
});

describe("/metrics counts the task endpoints like generation: requests by task and status, model time, texts and tokens", () => {
  let tasks: Running;
  beforeAll(async () => {
    tasks = await start({
      model: undefined,
      tasks: {
        embed: fixture("bert-embed"),
        rerank: fixture("bert-cross-encoder"),
        classify: fixture("bert-seq-cls"),
        "zero-shot": fixture("bert-nli"),
      },
    });
  });
  afterAll(() => tasks?.server.close());

  /** The sample of a family with these labels (one label set must match exactly one sample). */
  const sample = (families: PromFamily[], name: string, labels: Record<string, string>) => {
    const found = family(families, name).metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
    expect(found, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
    return found[0] as PromFamily["metrics"][number];
  };

  /**
   * The `_count` and `_sum` of a histogram with one `task` label, read from the text (the parser drops the labels of
   * histogram samples).
   */
  const histogram = (text: string, name: string, task: string): { count: number; sum: number } => {
    const value = (suffix: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${name}_${suffix}{task="${task}"} `));
      expect(line, `${name}_${suffix}{task="${task}"}`).toBeDefined();
      return Number(line?.split(" ")[1]);
    };
    return { count: value("count"), sum: value("sum") };
  };

  it("embedding in three wire formats, reranking, classification and zero-shot each show up under their task", async () => {
    const texts = ["A man is playing a guitar.", "Two dogs run through a snowy field."];
    const embedder = await createEmbedder(fixture("bert-embed"), { load: { threads: 1 } });
    const tokens = (await embedder.model.tokenizer.encodeBatch(texts)).reduce((sum, e) => sum + e.ids.length, 0);
    await embedder.dispose();
    const ok = async (path: string, body: unknown) => expect((await post(`${tasks.url}${path}`, body)).status).toBe(200);
    await ok("/v1/embed", { input: texts });
    await ok("/v1/embeddings", { input: texts });
    await ok("/embed", { inputs: texts });
    await ok("/rerank", { query: "dogs", texts });
    await ok("/v1/rerank", { query: "dogs", documents: texts });
    await ok("/predict", { inputs: texts.map((t) => [t]) });
    await ok("/v1/classify", { input: texts[0] });
    await ok("/v1/zero-shot", { input: texts[0], candidate_labels: ["music", "animals", "sport"] });
    expect((await post(`${tasks.url}/embed`, { inputs: [] })).status).toBe(400);
    expect((await post(`${tasks.url}/v1/embed`, { input: texts, normalise: true })).status).toBe(400);

    const families = await scrape(tasks.url);
    const types: Record<string, string> = {
      proj_task_requests_total: "COUNTER",
      proj_task_duration_seconds: "HISTOGRAM",
      proj_task_inputs_total: "COUNTER",
      proj_task_input_tokens: "HISTOGRAM",
    };
    for (const [name, type] of Object.entries(types)) expect({ name, type: family(families, name).type }).toEqual({ name, type });

    const requests = (task: string, status: string) => Number(sample(families, "proj_task_requests_total", { task, status }).value);
    expect(requests("feature-extraction", "200")).toBe(3);
    expect(requests("feature-extraction", "400")).toBe(2);
    expect(requests("text-ranking", "200")).toBe(2);
    expect(requests("text-classification", "200")).toBe(2);
    expect(requests("zero-shot-classification", "200")).toBe(1);

    const inputs = (task: string) => Number(sample(families, "proj_task_inputs_total", { task }).value);
    expect([
      inputs("feature-extraction"),
      inputs("text-ranking"),
      inputs("text-classification"),
      inputs("zero-shot-classification"),
    ]).toEqual([6, 4, 3, 3]);
    const text = await (await fetch(`${tasks.url}/metrics`)).text();
    expect(histogram(text, "proj_task_input_tokens", "feature-extraction")).toEqual({ count: 3, sum: 3 * tokens });
    expect(histogram(text, "proj_task_input_tokens", "text-ranking").sum).toBeGreaterThan(tokens);
    expect(histogram(text, "proj_task_input_tokens", "text-classification").count).toBe(2);
    const duration = histogram(text, "proj_task_duration_seconds", "feature-extraction");
    expect(duration.count).toBe(3);
    expect(duration.sum).toBeGreaterThan(0);
    // The route-level counters see the same requests, by route.
    const route = (endpoint: string) => Number(sample(families, "proj_requests_total", { endpoint, status: "200" }).value);
    expect([route("/embed"), route("/predict"), route("/v1/embeddings")]).toEqual([1, 1, 1]);
  });
});
