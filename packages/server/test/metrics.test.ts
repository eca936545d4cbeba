import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { family, type Running, scrape, start, IGNORE_EOS } from "./helpers.js";

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
