import type { Tokenizer } from "../../tokenizer/tokenizer.js";
import { BYTE_TO_UNICODE } from "../../tokenizer/vocabulary.js";
import { CandidateBuffer, topK } from "../sampling/top-candidates.js";
import type { LogprobCandidate, TokenLogprob } from "./token-logprob.js";

const UNICODE_TO_BYTE = new Map(BYTE_TO_UNICODE.map((char, byte) => [char, byte]));
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

  /** Reads a step's raw logits (copied: the processors change them in place next). */
  static read(logits: Float32Array, topN: number, buffer: CandidateBuffer): StepLogprobs {
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < logits.length; i++) if ((logits[i] as number) > max) max = logits[i] as number;
    let sum = 0;
    for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] as number) - max);
    const logSum = max + Math.log(sum);
    const top: Array<{ tokenId: number; logprob: number }> = [];
    if (topN > 0) {
      topK(logits, topN, buffer);
      for (let c = 0; c < buffer.count; c++) top.push({ tokenId: buffer.ids[c] as number, logprob: (buffer.values[c] as number) - logSum });
      top.sort((a, b) => b.logprob - a.logprob || a.tokenId - b.tokenId);
    }
    return new StepLogprobs(Float32Array.from(logits), logSum, top);
  }

  /** The chosen token's entry, with the step's best candidates. */
  entry(tokenId: number, tokenizer: Tokenizer): TokenLogprob {
    return {
      ...candidate(tokenId, (this.#logits[tokenId] as number) - this.#logSum, tokenizer),
      topLogprobs: this.#top.map((c) => candidate(c.tokenId, c.logprob, tokenizer)),
    };
  }
}

/** A buffer for {@link StepLogprobs.read}'s top candidates (20 at most). */
export function logprobBuffer(): CandidateBuffer {
  return new CandidateBuffer(20);
}

function candidate(tokenId: number, logprob: number, tokenizer: Tokenizer): LogprobCandidate {
  const bytes = tokenBytes(tokenId, tokenizer);
  return { tokenId, token: text.decode(bytes), bytes: [...bytes], logprob };
}

/**
 * The bytes a token stands for: GPT-2's byte-to-unicode characters mapped back, SentencePiece's `▁` as a space and
 * `<0xXX>` as its byte, other vocabularies' text as UTF-8; a special token as its own text.
 */
function tokenBytes(tokenId: number, tokenizer: Tokenizer): Uint8Array {
  const vocabulary = tokenizer.vocabulary();
  const piece = vocabulary.tokens[tokenId] ?? "";
  if (piece === "") return utf8.encode(tokenizer.idToToken(tokenId) ?? "");
  if (vocabulary.encoding === "byte_level") {
    const out: number[] = [];
    for (const char of piece) {
      const byte = UNICODE_TO_BYTE.get(char);
      if (byte === undefined) out.push(...utf8.encode(char));
      else out.push(byte);
    }
    return Uint8Array.from(out);
  }
  if (vocabulary.encoding === "byte_fallback") {
    const byte = /^<0x([0-9A-Fa-f]{2})>$/.exec(piece);
    if (byte) return Uint8Array.of(Number.parseInt(byte[1] as string, 16));
    return utf8.encode(piece.replaceAll("▁", " "));
  }
  return utf8.encode(piece);
}
