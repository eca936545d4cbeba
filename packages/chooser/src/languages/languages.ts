/**
 * The one language table of the SDK: ISO 639-1 and 639-3 codes and English names, so that `to: "de"`,
 * `to: "German"` and `to: "deu"` all name the same language and find a model's own code (`de_DE` for mBART-50,
 * `deu_Latn` for NLLB, `__de__` for M2M100, `>>de<<` for multi-target Marian, `de` in T5's `translation_en_to_de`).
 */

/**
 * One language: its ISO 639-1 code, its ISO 639-3 codes (the first is the one NLLB uses) and English names.
 *
 * @example
 * const german: Language = { iso1: "de", iso3: ["deu", "ger"], names: ["German", "Deutsch"] };
 */
export interface Language {
  /** ISO 639-1 code, e.g. `"de"`. */
  iso1: string;
  /** ISO 639-3 (and 639-2/B) codes, e.g. `["deu", "ger"]`; the first is NLLB's. */
  iso3: readonly string[];
  /** English names (and the language's own name where people type it), e.g. `["German", "Deutsch"]`. */
  names: readonly string[];
}

/**
 * Every language the SDK knows by name, code and 639-3 code.
 *
 * @example
 * LANGUAGES.find((l) => l.iso1 === "de")?.names; // ["German", "Deutsch"]
 */
export const LANGUAGES: readonly Language[] = [
  ["af", ["afr"], ["Afrikaans"]],
  ["ar", ["arb", "ara"], ["Arabic"]],
  ["bg", ["bul"], ["Bulgarian"]],
  ["bn", ["ben"], ["Bengali", "Bangla"]],
  ["ca", ["cat"], ["Catalan"]],
  ["cs", ["ces", "cze"], ["Czech"]],
  ["da", ["dan"], ["Danish"]],
  ["de", ["deu", "ger"], ["German", "Deutsch"]],
  ["el", ["ell", "gre"], ["Greek"]],
  ["en", ["eng"], ["English"]],
  ["es", ["spa"], ["Spanish", "Castilian"]],
  ["et", ["est"], ["Estonian"]],
  ["fa", ["pes", "fas", "per"], ["Persian", "Farsi"]],
  ["fi", ["fin"], ["Finnish"]],
  ["fr", ["fra", "fre"], ["French", "Français"]],
  ["gu", ["guj"], ["Gujarati"]],
  ["he", ["heb"], ["Hebrew"]],
  ["hi", ["hin"], ["Hindi"]],
  ["hr", ["hrv"], ["Croatian"]],
  ["hu", ["hun"], ["Hungarian"]],
  ["id", ["ind"], ["Indonesian"]],
  ["it", ["ita"], ["Italian"]],
  ["ja", ["jpn"], ["Japanese"]],
  ["ka", ["kat", "geo"], ["Georgian"]],
  ["kk", ["kaz"], ["Kazakh"]],
  ["km", ["khm"], ["Khmer"]],
  ["ko", ["kor"], ["Korean"]],
  ["lt", ["lit"], ["Lithuanian"]],
  ["lv", ["lvs", "lav"], ["Latvian"]],
  ["mk", ["mkd"], ["Macedonian"]],
  ["ml", ["mal"], ["Malayalam"]],
  ["mn", ["khk", "mon"], ["Mongolian"]],
  ["mr", ["mar"], ["Marathi"]],
  ["ms", ["zsm", "msa", "may"], ["Malay"]],
  ["my", ["mya", "bur"], ["Burmese"]],
  ["ne", ["npi", "nep"], ["Nepali"]],
  ["nl", ["nld", "dut"], ["Dutch", "Flemish"]],
  ["no", ["nob", "nor"], ["Norwegian", "Bokmål"]],
  ["pl", ["pol"], ["Polish"]],
  ["ps", ["pbt", "pus"], ["Pashto"]],
  ["pt", ["por"], ["Portuguese"]],
  ["ro", ["ron", "rum"], ["Romanian", "Moldavian"]],
  ["ru", ["rus"], ["Russian"]],
  ["si", ["sin"], ["Sinhala"]],
  ["sk", ["slk", "slo"], ["Slovak"]],
  ["sl", ["slv"], ["Slovenian"]],
  ["sr", ["srp"], ["Serbian"]],
  ["sv", ["swe"], ["Swedish"]],
  ["sw", ["swh", "swa"], ["Swahili"]],
  ["ta", ["tam"], ["Tamil"]],
  ["te", ["tel"], ["Telugu"]],
  ["th", ["tha"], ["Thai"]],
  ["tl", ["tgl"], ["Tagalog", "Filipino"]],
  ["tr", ["tur"], ["Turkish"]],
  ["uk", ["ukr"], ["Ukrainian"]],
  ["ur", ["urd"], ["Urdu"]],
  ["vi", ["vie"], ["Vietnamese"]],
  ["xh", ["xho"], ["Xhosa"]],
  ["zh", ["zho", "chi"], ["Chinese", "Mandarin"]],
].map(([iso1, iso3, names]) => ({ iso1: iso1 as string, iso3: iso3 as string[], names: names as string[] }));

const BY_KEY = new Map<string, Language>();
for (const lang of LANGUAGES) {
  for (const key of [lang.iso1, ...lang.iso3, ...lang.names]) BY_KEY.set(key.toLowerCase(), lang);
}

/**
 * Every spelling that names the same language as `code` (lower case): itself, and when the language is known
 * its ISO 639-1 and 639-3 codes and English names.
 *
 * @example
 * languageKeys("German"); // ["german", "de", "deu", "ger", "deutsch"]
 */
export function languageKeys(code: string): string[] {
  const key = code.trim().toLowerCase();
  const lang = BY_KEY.get(key);
  if (!lang) return [key];
  return [...new Set([key, lang.iso1, ...lang.iso3, ...lang.names.map((n) => n.toLowerCase())])];
}

/**
 * The language part of a model's language code: `de_DE` (mBART) -> `de`, `deu_Latn` (NLLB) -> `deu`,
 * `__de__` (M2M100) -> `de`, `>>de<<` (Marian) -> `de`, `de` -> `de`.
 *
 * @example
 * codeLanguage("deu_Latn"); // "deu"
 */
export function codeLanguage(code: string): string {
  const bare = code.replace(/^__(.+)__$/, "$1").replace(/^>>(.+)<<$/, "$1");
  return (bare.split(/[_-]/)[0] ?? bare).toLowerCase();
}

/**
 * The codes among `available` that name the language `wanted`: an exact (case-insensitive) code first,
 * otherwise every code whose language part is a spelling of it.
 *
 * @example
 * matchLanguage("German", ["en_XX", "de_DE", "fr_XX"]); // ["de_DE"]
 * matchLanguage("zh", ["zho_Hans", "zho_Hant"]);        // ["zho_Hans", "zho_Hant"] (ambiguous)
 */
export function matchLanguage(wanted: string, available: readonly string[]): string[] {
  const exact = available.filter((code) => code.toLowerCase() === wanted.trim().toLowerCase());
  if (exact.length) return exact;
  const bareWanted = codeLanguage(wanted);
  const keys = new Set([...languageKeys(wanted), ...languageKeys(bareWanted)]);
  return available.filter((code) => keys.has(codeLanguage(code)) || keys.has(code.toLowerCase()));
}

/**
 * True when two codes or names name the same language.
 *
 * @example
 * sameLanguage("de", "deu"); // true
 */
export function sameLanguage(a: string, b: string): boolean {
  return matchLanguage(a, [b]).length > 0;
}

/**
 * The ISO 639-1 code of a language name or code, normalised through {@link LANGUAGES}: `"German"`, `"deu"`,
 * `"de-CH"`, `"de_DE"`, `"deu_Latn"`, `"__de__"` and `">>de<<"` are all `"de"`. A language the table does not
 * know comes back as its primary subtag, lower-cased (`"yo-NG"` -> `"yo"`).
 *
 * @example
 * baseLanguage("pt-BR");   // "pt"
 * baseLanguage("English"); // "en"
 */
export function baseLanguage(code: string): string {
  const key = code.trim().toLowerCase();
  const whole = BY_KEY.get(key);
  if (whole) return whole.iso1;
  const bare = codeLanguage(key);
  return BY_KEY.get(bare)?.iso1 ?? bare;
}
