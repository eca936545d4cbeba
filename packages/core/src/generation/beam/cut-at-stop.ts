/**
 * Cuts a finished text before the first stop string it contains (beam search, where text is not streamed).
 *
 * @example
 * cutAtStop("Hello.\nUser: hi", ["\nUser:"]); // { text: "Hello.", stopped: true }
 */
export function cutAtStop(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  let cut = -1;
  for (const stop of stops) {
    const at = text.indexOf(stop);
    if (at >= 0 && (cut < 0 || at < cut)) cut = at;
  }
  return cut < 0 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}
