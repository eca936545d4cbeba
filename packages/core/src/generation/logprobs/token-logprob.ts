/** One of the most likely tokens at a step, with its log-probability. */
export interface LogprobCandidate {
  /** The token id. */
  tokenId: number;
  /** The token's own text (a partial character shows as U+FFFD; `bytes` has it whole). */
  token: string;
  /** Its UTF-8 bytes (as OpenAI reports them). */
  bytes: number[];
  /** Natural log of its probability under the model's raw logits. */
  logprob: number;
}

/**
 * A generated token's log-probability: what `logprobs: true` adds to a result (one per generated token, aligned
 * with `tokenIds`) and to each streamed token.
 *
 * @example
 * const { logprobs } = await generate("Hello", { logprobs: true, topLogprobs: 2 });
 * logprobs?.[0]; // { tokenId: 11, token: ",", bytes: [44], logprob: -1.2, topLogprobs: [{ token: ",", ... }, { token: "!", ... }] }
 */
export interface TokenLogprob extends LogprobCandidate {
  /** The most likely tokens at that step, best first (`topLogprobs` of them; none when it is 0). */
  topLogprobs: LogprobCandidate[];
}
