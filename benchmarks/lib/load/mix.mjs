/**
 * The load test's traffic: the request kinds (non-streamed and streamed completions, chat, classification, NER),
 * the bodies each kind cycles through, and what counts as a complete answer of each.
 */

/** Caption-like prompts (the embedded generation model writes image captions) and review-like texts. */
const PROMPTS = ["A man", "Two dogs", "A woman in a red dress", "Children playing", "A group of people", "An old man sitting"];
const TEXTS = [
  "I loved this movie, the actors were wonderful.",
  "The plot was thin and the ending made no sense at all.",
  "Angela Merkel met Emmanuel Macron in Paris on Tuesday.",
  "It is neither good nor bad, just long.",
  "The Golden Gate Bridge in San Francisco was closed for repairs by Caltrans.",
  "What a waste of two hours.",
];

/** Each prompt greedy and sampled (seeded). */
const sampling = (i) => (i % 2 === 0 ? { temperature: 0 } : { temperature: 0.8, top_p: 0.95, seed: i });

/**
 * The request kinds of the mix. `bodies` are cycled through by each connection; `weight` is the kind's share of the
 * connections; `check` says whether a 200 is a complete answer (the problem found, or undefined).
 * @type {Array<{ name: string, path: string, weight: number, bodies: object[], check: (body: string) => string | undefined }>}
 */
export const KINDS = [
  {
    name: "completion",
    path: "/v1/completions",
    weight: 2,
    bodies: PROMPTS.map((prompt, i) => ({ prompt, max_tokens: 24, ...sampling(i) })),
    check: (body) => jsonProblem(body, (j) => typeof j.choices?.[0]?.text === "string" && finished(j.choices[0]) && j.usage),
  },
  {
    name: "completion (stream)",
    path: "/v1/completions",
    weight: 2,
    bodies: PROMPTS.map((prompt, i) => ({ prompt, max_tokens: 24, stream: true, stream_options: { include_usage: true }, ...sampling(i) })),
    check: (body) => sseProblem(body),
  },
  {
    name: "chat",
    path: "/v1/chat/completions",
    weight: 2,
    bodies: PROMPTS.map((content, i) => ({ messages: [{ role: "user", content }], max_tokens: 24, ...sampling(i) })),
    check: (body) => jsonProblem(body, (j) => typeof j.choices?.[0]?.message?.content === "string" && finished(j.choices[0])),
  },
  {
    name: "classification",
    path: "/v1/classify",
    weight: 1,
    bodies: [...TEXTS.map((input) => ({ input })), { input: TEXTS.slice(0, 4) }],
    check: (body) => jsonProblem(body, (j) => Array.isArray(j.data) && j.data.length > 0 && j.data.every((d) => d.labels?.length > 0)),
  },
  {
    name: "NER",
    path: "/v1/ner",
    weight: 1,
    bodies: [...TEXTS.map((input) => ({ input, aggregation_strategy: "simple" })), { input: TEXTS.slice(2, 5) }],
    check: (body) => jsonProblem(body, (j) => Array.isArray(j.data) && j.data.length > 0 && j.data.every((d) => Array.isArray(d.entities))),
  },
];

/** A streamed completion that runs long enough to be cut mid-stream (`ignore_eos`), for the companion clients. */
export function longStreamBody(i, maxTokens) {
  return { prompt: PROMPTS[i % PROMPTS.length], max_tokens: maxTokens, ignore_eos: true, stream: true, ...sampling(i) };
}

function finished(choice) {
  return choice.finish_reason === "stop" || choice.finish_reason === "length";
}

function jsonProblem(body, complete) {
  let json;
  try {
    json = JSON.parse(body);
  } catch {
    return `not JSON: ${body.slice(0, 200)}`;
  }
  return complete(json) ? undefined : `incomplete: ${body.slice(0, 200)}`;
}

/**
 * What is wrong with a whole server-sent-events body of a completion: it must end with `data: [DONE]`, every event
 * before it JSON, none an error, one of them with a finish reason.
 * @param {string} body
 */
export function sseProblem(body) {
  if (!body.endsWith("data: [DONE]\n\n")) return `the stream did not end with [DONE]: …${body.slice(-200)}`;
  const events = body
    .split("\n\n")
    .map((e) => e.trim())
    .filter((e) => e !== "" && e !== "data: [DONE]");
  let finish = false;
  for (const event of events) {
    if (!event.startsWith("data: ")) return `not an SSE data event: ${event.slice(0, 200)}`;
    let json;
    try {
      json = JSON.parse(event.slice(6));
    } catch {
      return `an event is not JSON: ${event.slice(0, 200)}`;
    }
    if (json.error) return `an error event: ${event.slice(0, 200)}`;
    if (json.choices?.some((c) => c.finish_reason)) finish = true;
  }
  return finish ? undefined : "no chunk carried a finish_reason";
}
