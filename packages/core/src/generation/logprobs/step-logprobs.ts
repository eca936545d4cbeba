import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { vocabularyBytes } from "../../tokenizer/vocabulary.js";
import { CandidateBuffer, topK } from "../sampling/top-candidates.js";
import type { LogprobCandidate, TokenLogprob } from "./token-logprob.js";

const utf8 = new TextEncoder();
const text = new TextDecoder("utf-8", { fatal: false });

/**
 * The raw distribution of one decode step, read before the logits processors change the logits: its log-sum-exp,
 * its best candidates, and a copy of the logits, so the chosen token's log-probability can be read once it is known.
 *
 * @example
 * const step = StepLogprobs.read(rowLogits, 5, buffer); // before applyProcessors
 * // ... the processors, the mask, the choice ...
 * const entry = step.entry(token, tokenizer);
 */
export class StepLogprobs {
  readonly #logits: Float32Array;
  readonly #logSum: number;
  readonly #top: Array<{ tokenId: number; logprob: number }>;

  private constructor(logits: Float32Array, logSum: number, top: Array<{ tokenId: number; logprob: number }>) {
    this.#logits = logits;
    this.#logSum = logSum;
    this.#top = top;
  }

  /**
   * Reads a step's raw logits (copied into the buffer: the processors change them in place next). The copy is the
   * buffer's, so a step's {@link StepLogprobs.entry} must be read before the buffer reads the next step.
   */
  static read(logits: Float32Array, topN: number, buffer: LogprobBuffer): StepLogprobs {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > max) max = logits[i] as number;
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
    const logSum = max + Math.log(sum);
    const top: Array<{ tokenId: number; logprob: number }> = [];
    if (topN > 0) {
      const candidates = buffer.candidates;
      topK(logits, topN, candidates);
      for (let c = 0; c < candidates.count; c++)
        top.push({ tokenId: candidates.ids[c] as number, logprob: (candidates.values[c] as number) - logSum });
      top.sort((a, b) => b.logprob - a.logprob || a.tokenId - b.tokenId);
    }
    return new StepLogprobs(buffer.copy(logits), logSum, top);
  }

  /** The chosen token's entry, with the step's best candidates. */
  entry(tokenId: number, tokenizer: Tokenizer): TokenLogprob {
    return {
      ...candidate(tokenId, (this.#logits[tokenId] as number) - this.#logSum, tokenizer),
      topLogprobs: this.#top.map((c) => candidate(c.tokenId, c.logprob, tokenizer)),
    };
  }
}

/** What {@link StepLogprobs.read} reuses from step to step: the top candidates (20 at most) and the logits' copy. */
export interface LogprobBuffer {
  candidates: CandidateBuffer;
  /** Copies logits into the buffer's own array (grown when needed) and returns that view. */
  copy(logits: Float32Array): Float32Array;
}

/**
 * A buffer for {@link StepLogprobs.read}, one per decoding loop.
 *
 * @example
 * const buffer = logprobBuffer();
 */
export function logprobBuffer(): LogprobBuffer {
  let array = new Float32Array(0);
  return {
    candidates: new CandidateBuffer(20),
    copy(logits) {
      if (array.length < logits.length) array = new Float32Array(logits.length);
      const view = array.subarray(0, logits.length);
      view.set(logits);
      return view;
    },
  };
}

function candidate(tokenId: number, logprob: number, tokenizer: Tokenizer): LogprobCandidate {
  const bytes = tokenBytes(tokenId, tokenizer);
  return { tokenId, token: text.decode(bytes), bytes: [...bytes], logprob };
}

/** The bytes a token stands for; a special token (no bytes in the vocabulary) as its own text. */
function tokenBytes(tokenId: number, tokenizer: Tokenizer): Uint8Array {
  const vocabulary = tokenizer.vocabulary();
  if ((vocabulary.tokens[tokenId] ?? "") === "") return utf8.encode(tokenizer.idToToken(tokenId) ?? "");
  return vocabularyBytes(vocabulary)[tokenId] as Uint8Array;
}
