import { InputError } from "@proj/core";
import { DEFAULT_INSTRUCTION, type GenerativeQuestion } from "./types.js";

/**
 * Checks a generative question: a non-empty `question` string and an optional `context` string.
 *
 * @internal
 */
export function checkQuestion(input: unknown): GenerativeQuestion {
  const q = input as Partial<GenerativeQuestion> | null;
  if (q === null || typeof q !== "object" || typeof q.question !== "string" || q.question.trim() === "") {
    throw new InputError("Expected { question: string, context?: string } with a non-empty question", {
      hint: 'e.g. ask({ question: "Who wrote it?", context: "..." })',
    });
  }
  if (q.context !== undefined && typeof q.context !== "string") throw new InputError("context must be a string when given");
  return { question: q.question, ...(q.context !== undefined ? { context: q.context } : {}) };
}

/**
 * The user message (decoders with a chat template) or the whole prompt (Flan-T5 and plain decoders).
 *
 * @example
 * questionPrompt({ question: "Who?", context: "Ada wrote it." }, undefined, "plain");
 * // "Answer the question using only the context. ...\n\nContext: Ada wrote it.\n\nQuestion: Who?\nAnswer:"
 * @internal
 */
export function questionPrompt(input: GenerativeQuestion, instruction: string | undefined, style: "chat" | "plain"): string {
  const parts = [instruction ?? (input.context ? DEFAULT_INSTRUCTION : "Answer the question.")];
  if (input.context) parts.push(`Context: ${input.context}`);
  parts.push(style === "plain" ? `Question: ${input.question}\nAnswer:` : `Question: ${input.question}`);
  return parts.join("\n\n");
}
