import type { LocalGenerator } from "@proj/decoder";
import { fixture } from "@proj/testing";
import OpenAI from "openai";
import parsePrometheusTextFormat, { type PromFamily } from "parse-prometheus-text-format";
import { createServer, type OpenAIErrorBody, type ProjServer, type ServerOptions } from "../src/index.js";

/** A ChatML template, as Qwen models ship (the fixtures have none). */
export const CHATML =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** A server under test on loopback, its URL, and an official OpenAI client pointed at it. */
export interface Running {
  server: ProjServer;
  url: string;
  client: OpenAI;
}

/** Starts a server on 127.0.0.1 (a free port) for the llama fixture unless told otherwise. */
export async function start(options: Partial<ServerOptions> = {}): Promise<Running> {
  const server = await createServer({
    ...(options.generator ? {} : { model: fixture("llama") }),
    load: { threads: 1 },
    chatTemplate: CHATML,
    ...options,
  });
  const url = await server.listen(0, "127.0.0.1");
  return { server, url, client: new OpenAI({ baseURL: `${url}/v1`, apiKey: "test", maxRetries: 0, timeout: 60_000 }) };
}

/** A parsed JSON answer: an OpenAI error body, or any object. */
export type Answer = Partial<OpenAIErrorBody> & Record<string, unknown>;

/** POSTs a body (a string is sent as is) and returns the status, headers and parsed JSON. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; json: Answer }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Answer;
  try {
    json = JSON.parse(text) as Answer;
  } catch {
    json = { text };
  }
  return { status: response.status, headers: response.headers, json };
}

/** The server's /metrics, parsed as Prometheus text by a parser no one here wrote. */
export async function scrape(url: string): Promise<PromFamily[]> {
  const response = await fetch(`${url}/metrics`);
  return parsePrometheusTextFormat(await response.text());
}

/** One family of a scrape, or an error naming what is missing. */
export function family(families: PromFamily[], name: string): PromFamily {
  const found = families.find((f) => f.name === name);
  if (!found) throw new Error(`metric ${name} is missing; got ${families.map((f) => f.name).join(", ")}`);
  return found;
}

/** Waits until `check` is true, polling every 10 ms, or fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5_000, what = "condition"): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return performance.now() - started;
}

/** vLLM's and this server's `ignore_eos` extension, spread into openai-client calls (it is not in the client's types). */
export const IGNORE_EOS = { ignore_eos: true } as const;

/** The generator behind a running server (tests start servers with one). */
export function generatorOf(run: Running): LocalGenerator {
  const generator = run.server.generator;
  if (!generator) throw new Error("this server serves no generator");
  return generator as LocalGenerator;
}
