import { InputError, ModelFormatError } from "@proj/core";
import { describeValue } from "@proj/core/internal";
import { languageKeys, matchLanguage, sameLanguage } from "./languages.js";
import type { TaskPair, TranslationScheme } from "./scheme.js";

/** How to run one translation direction on a model. @internal */
export interface ResolvedPair {
  /** The model's own source language code, when known. */
  from: string | undefined;
  /** The model's own target language code, when known. */
  to: string | undefined;
  /** The `task_specific_params` entry whose generation settings apply (T5). */
  task: string | undefined;
  /** Text put before the input (T5's task prefix, a Marian `>>xx<<` target token). */
  prefix: string;
  /** Multilingual models: the source language token and where it goes in the encoder input. */
  sourceToken: { id: number; placement: "prefix" | "suffix" } | undefined;
  /** Multilingual models: the target language token, forced as the first generated token. */
  forcedBosTokenId: number | undefined;
}

/**
 * Checks the language options of a translation call, the one check that the one-shot {@link translate} (before it
 * picks a default model) and a translator handle (before it resolves the pair) share: `from` and `to` are
 * language codes or names when given. Throws {@link InputError} naming the option.
 *
 * @example
 * checkLanguageOptions({ to: 5 }); // throws InputError: to must be a language code or name such as "de" or "German", got a number
 */
export function checkLanguageOptions(options: { from?: unknown; to?: unknown }): { from?: string; to?: string } {
  for (const name of ["from", "to"] as const) {
    const value = options[name];
    if (value !== undefined && typeof value !== "string") {
      throw new InputError(`${name} must be a language code or name such as "de" or "German", got ${describeValue(value)}`, {
        hint: `pass e.g. { ${name}: "${name === "from" ? "en" : "de"}" }, or omit it`,
      });
    }
  }
  return options as { from?: string; to?: string };
}

/**
 * Finds how to translate `from` -> `to` with a model, or throws {@link InputError} naming what the model can do.
 * Codes and names are both accepted (`"de"`, `"deu"`, `"German"`, or the model's own `"de_DE"` / `"deu_Latn"`).
 *
 * @example
 * resolvePair(scheme, "my-model", (t) => tokenizer.tokenToId(t), "en", "de");
 */
export function resolvePair(
  scheme: TranslationScheme,
  label: string,
  tokenToId: (token: string) => number | undefined,
  from: string | undefined,
  to: string | undefined,
): ResolvedPair {
  checkLanguageOptions({ from, to });
  const none: ResolvedPair = {
    from: undefined,
    to: undefined,
    task: undefined,
    prefix: "",
    sourceToken: undefined,
    forcedBosTokenId: undefined,
  };
  if (scheme.kind === "task-prefix") {
    const pair = pickTaskPair(scheme.pairs, label, from, to);
    return { ...none, from: pair.from, to: pair.to, task: pair.task, prefix: pair.prefix };
  }
  if (scheme.kind === "language-tokens") {
    const fromCode = pickCode(scheme.codes, from ?? scheme.defaultFrom, "from", label);
    const toCode = pickCode(scheme.codes, to ?? scheme.defaultTo, "to", label);
    return {
      ...none,
      from: fromCode,
      to: toCode,
      sourceToken: { id: idOf(fromCode, tokenToId, label), placement: scheme.placement },
      forcedBosTokenId: idOf(toCode, tokenToId, label),
    };
  }
  // One pair (Marian): check what can be checked; a multi-target model takes its >>xx<< token before the text.
  if (to !== undefined) {
    const target = languageKeys(to)
      .concat(to)
      .map((code) => `>>${code}<<`)
      .find((token) => tokenToId(token) !== undefined);
    if (target) return { ...none, from: scheme.from, to: target.slice(2, -2), prefix: `${target} ` };
  }
  checkKnown(scheme.from, from, "from", scheme, label);
  checkKnown(scheme.to, to, "to", scheme, label);
  return { ...none, from: scheme.from ?? from, to: scheme.to ?? to };
}

function pickTaskPair(pairs: readonly TaskPair[], label: string, from: string | undefined, to: string | undefined): TaskPair {
  const list = pairs.map((p) => `${p.from} -> ${p.to}`).join(", ");
  const fits = pairs.filter((p) => (from === undefined || sameLanguage(from, p.from)) && (to === undefined || sameLanguage(to, p.to)));
  if (fits.length === 1) return fits[0] as TaskPair;
  if (fits.length === 0) {
    throw new InputError(`${label} cannot translate ${from ?? "its source language"} to ${to ?? "that language"}; it translates ${list}`, {
      hint: "pass from/to among those pairs, or use a model for your pair (a Marian opus-mt model, or NLLB for many languages)",
    });
  }
  throw new InputError(`${label} translates ${list}: say which with { to }`, { hint: `for example { to: "${fits[0]?.to}" }` });
}

function pickCode(codes: readonly string[], wanted: string | undefined, side: "from" | "to", label: string): string {
  const sample = `${codes.slice(0, 12).join(", ")}${codes.length > 12 ? `, ... (${codes.length} in all)` : ""}`;
  if (wanted === undefined || wanted.trim() === "") {
    throw new InputError(`${label} is multilingual: say which language to translate ${side} with { ${side} }`, {
      hint: `pass a language code or name, e.g. { ${side}: "${codes[0]}" }; it knows ${sample}`,
    });
  }
  const found = matchLanguage(wanted, codes);
  if (found.length === 1) return found[0] as string;
  if (found.length === 0) {
    throw new InputError(`Unknown language "${wanted}" for ${label}`, { hint: `pass one of its language codes: ${sample}` });
  }
  throw new InputError(`"${wanted}" matches several languages of ${label}: ${found.join(", ")}`, {
    hint: `pass the exact code, e.g. { ${side}: "${found[0]}" }`,
  });
}

function idOf(code: string, tokenToId: (token: string) => number | undefined, label: string): number {
  const id = tokenToId(code);
  if (id === undefined) {
    throw new ModelFormatError(`The tokenizer of ${label} lists the language code "${code}" but has no token for it`, {
      hint: "the tokenizer_config.json and tokenizer.json disagree; save the tokenizer again with the model",
    });
  }
  return id;
}

function checkKnown(
  known: string | undefined,
  wanted: string | undefined,
  side: "from" | "to",
  scheme: { from: string | undefined; to: string | undefined },
  label: string,
): void {
  // A model language that is not one language ("mul", "ROMANCE") cannot be checked here.
  if (known === undefined || wanted === undefined || languageKeys(known).length === 1) return;
  if (sameLanguage(wanted, known)) return;
  throw new InputError(`${label} translates ${scheme.from ?? "?"} -> ${scheme.to ?? "?"}; it cannot translate ${side} "${wanted}"`, {
    hint: `omit ${side}, or use a model for your language pair (e.g. Xenova/opus-mt-${side === "from" ? wanted : (scheme.from ?? "en")}-${side === "to" ? wanted : (scheme.to ?? "de")})`,
  });
}
