/**
 * Language names and codes come from the one language table of `@proj/chooser`; re-exported here because
 * `@proj/seq2seq` has always exported them.
 */
export { codeLanguage, languageKeys, matchLanguage, sameLanguage } from "@proj/chooser";
