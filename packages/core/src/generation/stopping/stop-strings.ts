/** Outcome of feeding text to a {@link StopStringMatcher}. */
export interface StopMatch {
  /** Text that is safe to show: it cannot be part of a stop string. */
  emit: string;
  /** True when a stop string was found; nothing after it is emitted. */
  stopped: boolean;
}

/**
 * Finds stop strings in streamed text, even when a stop string spans several tokens. Text that could be
 * the start of a stop string is held back until the next delta decides; the stop string itself and
 * everything after it are never emitted.
 *
 * @example
 * const matcher = new StopStringMatcher(["\n\n", "User:"]);
 * matcher.push("Hello Us"); // { emit: "Hello ", stopped: false } ("Us" is held back)
 * matcher.push("er: hi");   // { emit: "", stopped: true }
 */
export class StopStringMatcher {
  readonly #stops: readonly string[];
  #pending = "";
  #stopped = false;

  constructor(stops: readonly string[]) {
    this.#stops = stops;
  }

  /** True once a stop string was seen. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Feeds newly decoded text. */
  push(delta: string): StopMatch {
    if (this.#stopped) return { emit: "", stopped: true };
    const text = this.#pending + delta;
    let cut = -1;
    for (const stop of this.#stops) {
      const at = text.indexOf(stop);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.#stopped = true;
      this.#pending = "";
      return { emit: text.slice(0, cut), stopped: true };
    }
    const hold = this.#heldSuffix(text);
    this.#pending = text.slice(text.length - hold);
    return { emit: text.slice(0, text.length - hold), stopped: false };
  }

  /** Releases held-back text at the end of generation (no stop string completed it). */
  flush(): string {
    const rest = this.#stopped ? "" : this.#pending;
    this.#pending = "";
    return rest;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of some stop string. */
  #heldSuffix(text: string): number {
    let best = 0;
    for (const stop of this.#stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > best; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          best = n;
          break;
        }
      }
    }
    return best;
  }
}
