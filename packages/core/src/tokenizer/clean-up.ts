/**
 * Removes the spaces a word-level detokenization leaves before punctuation and English contractions,
 * as transformers' `clean_up_tokenization` does (`"do n't ."` -> `"don't."`).
 *
 * @example
 * cleanUpTokenization("hello , world !"); // "hello, world!"
 */
export function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
