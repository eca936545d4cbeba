import type { GeneratorCallOptions, TokenLogprob } from "@proj/decoder";
import { badRequest } from "../errors/http-error.js";
import type { BodyReader } from "./body-reader.js";

/** The log-probability options of a request. */
export type LogprobOptions = Pick<GeneratorCallOptions, "logprobs" | "topLogprobs">;

/**
 * Reads the log-probability fields as each endpoint defines them: chat's `logprobs: true` with `top_logprobs` (0 to
 * 20, only with `logprobs`), completions' `logprobs: <n>` (0 to 5 alternatives; null or absent for none).
 *
 * @example
 * readLogprobs(body, "chat"); // { logprobs: true, topLogprobs: 2 } for { logprobs: true, top_logprobs: 2 }
 */
export function readLogprobs(body: BodyReader, kind: "chat" | "completion"): LogprobOptions {
  if (kind === "completion") {
    const n = body.raw("logprobs") === null ? undefined : body.number("logprobs", { min: 0, max: 5, integer: true });
    return n === undefined ? {} : { logprobs: true, topLogprobs: n };
  }
  const on = body.raw("logprobs") === null ? undefined : body.boolean("logprobs");
  const top = body.raw("top_logprobs") === null ? undefined : body.number("top_logprobs", { min: 0, max: 20, integer: true });
  if (top !== undefined && top > 0 && on !== true) throw badRequest('"top_logprobs" needs "logprobs": true', "top_logprobs");
  if (!on) return {};
  return { logprobs: true, topLogprobs: top ?? 0 };
}

/**
 * Chat's `logprobs` object: `{ content: [{ token, logprob, bytes, top_logprobs }], refusal: null }`.
 *
 * @example
 * chatLogprobs(result.logprobs); // { content: [{ token: " Hi", logprob: -0.3, bytes: [32, 72, 105], top_logprobs: [] }], refusal: null }
 */
export function chatLogprobs(entries: readonly TokenLogprob[]): unknown {
  return {
    content: entries.map((e) => ({
      token: e.token,
      logprob: e.logprob,
      bytes: e.bytes,
      top_logprobs: e.topLogprobs.map((c) => ({ token: c.token, logprob: c.logprob, bytes: c.bytes })),
    })),
    refusal: null,
  };
}

/**
 * Completions' (legacy) `logprobs` object: parallel `tokens`, `token_logprobs`, `top_logprobs` (a map from token to
 * log-probability per position) and `text_offset` (each token's character offset in the choice's text, from `start`).
 *
 * @example
 * completionLogprobs(result.logprobs, 0); // { tokens: [" Hi"], token_logprobs: [-0.3], top_logprobs: [{ " Hi": -0.3 }], text_offset: [0] }
 */
export function completionLogprobs(entries: readonly TokenLogprob[], start: number): unknown {
  let offset = start;
  const textOffset = entries.map((e) => {
    const at = offset;
    offset += e.token.length;
    return at;
  });
  return {
    tokens: entries.map((e) => e.token),
    token_logprobs: entries.map((e) => e.logprob),
    top_logprobs: entries.map((e) => Object.fromEntries(e.topLogprobs.map((c) => [c.token, c.logprob]))),
    text_offset: textOffset,
  };
}
