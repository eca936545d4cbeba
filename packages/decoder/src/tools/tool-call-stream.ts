import { CanonicalJsonReader } from "./canonical-json.js";
import type { ToolCallFormat } from "./formats/tool-call-format.js";
import type { ToolCallDelta } from "./types.js";

type Phase =
  | "seek" // tagged and list layouts: looking for the tag or marker
  | "leading" // leading layout: the answer's first character
  | "prefix" // leading layout: inside the optional prefix
  | "list-open" // list layout: after the marker, `[` or one call's `{`
  | "object-open" // a call's `{`
  | "member-first" // after the call's `{`: a key or `}`
  | "member-key" // after `,`: a key
  | "key"
  | "colon"
  | "value"
  | "member-after" // after a member: `,` or `}`
  | "between" // after a call
  | "dead"; // no call can follow (the answer is text, or broke the format)

const WHITESPACE = /[ \t\n\r]/;

/** A call the stream announced: the id and name its first delta carried. */
export interface StreamedCall {
  /** The id given to the call. */
  id: string;
  /** The tool's name. */
  name: string;
}

/**
 * Reads tool calls out of an answer as it is generated, in the layout of its format (Hermes tags, Llama 3 JSON,
 * Mistral's list), and turns them into OpenAI-style deltas: a call's first delta once its name is complete (with a
 * new id), then the arguments' canonical JSON text piece by piece (see {@link CanonicalJsonReader}), so a call's
 * pieces add up to `JSON.stringify` of the arguments the answer parses to. A name that is not one of the tools, or
 * text that breaks the format, ends the streaming of calls: such an answer has no calls.
 *
 * @example
 * const calls = new ToolCallStream(HERMES, ["get_weather"]);
 * calls.push('<tool_call>\n{"name": "get_weather", '); // [{ index: 0, id: "call_...", name: "get_weather", arguments: "" }]
 * calls.push('"arguments": {"city": "Pa');            // [{ index: 0, arguments: '{"city":"Pa' }]
 */
export class ToolCallStream {
  readonly #format: ToolCallFormat;
  readonly #names: ReadonlySet<string>;
  readonly #calls: StreamedCall[] = [];
  #phase: Phase;
  #window = "";
  #prefixAt = 0;
  #inArray = false;
  #reader: CanonicalJsonReader | undefined;
  #key = "";
  #role: "name" | "arguments" | "other" = "other";
  /** The call being read: its name once complete, its arguments' text not sent yet, whether they were read. */
  #name: string | undefined;
  #pendingName = "";
  #pendingArguments = "";
  #argumentsRead = false;
  #argumentsIsString = false;
  #deltas: ToolCallDelta[] = [];

  /**
   * @param format - the tool-call format the chat template teaches
   * @param names - the names of the tools offered (a call of another name is not a call)
   */
  constructor(format: ToolCallFormat, names: Iterable<string>) {
    this.#format = format;
    this.#names = new Set(names);
    this.#phase = format.layout.kind === "leading" ? "leading" : "seek";
  }

  /**
   * The calls announced so far, in order (the result's calls take their ids).
   *
   * @example
   * calls.calls; // [{ id: "call_...", name: "get_weather" }]
   */
  get calls(): readonly StreamedCall[] {
    return this.#calls;
  }

  /**
   * Reads the next generated text; returns the deltas it completes (argument pieces of one call joined).
   *
   * @example
   * calls.push('{"name": "add", "parameters": {"a": 1'); // [{ index: 0, id, name: "add", arguments: "" }, { index: 0, arguments: '{"a":' }]
   */
  push(text: string): ToolCallDelta[] {
    for (const c of text) {
      if (this.#phase === "dead") break;
      this.#read(c);
    }
    const deltas = this.#deltas;
    this.#deltas = [];
    return deltas;
  }

  #read(c: string): undefined {
    const layout = this.#format.layout;
    switch (this.#phase) {
      case "seek": {
        const tag = layout.kind === "tagged" ? layout.open : layout.kind === "list" ? layout.marker : "";
        this.#window = (this.#window + c).slice(-tag.length);
        if (this.#window === tag) {
          this.#window = "";
          this.#phase = layout.kind === "list" ? "list-open" : "object-open";
        }
        return;
      }
      case "leading":
        if (WHITESPACE.test(c)) return;
        if (layout.kind === "leading" && c === layout.prefix[0]) {
          this.#prefixAt = 1;
          this.#phase = "prefix";
          return;
        }
        this.#phase = "object-open";
        return this.#read(c);
      case "prefix":
        if (layout.kind !== "leading" || c !== layout.prefix[this.#prefixAt]) return this.#die();
        this.#prefixAt++;
        if (this.#prefixAt === layout.prefix.length) this.#phase = "object-open";
        return;
      case "list-open":
        if (WHITESPACE.test(c)) return;
        this.#inArray = c === "[";
        this.#phase = "object-open";
        if (!this.#inArray) this.#read(c);
        return;
      case "object-open":
        if (WHITESPACE.test(c)) return;
        if (c !== "{") return this.#die();
        this.#startCall();
        return;
      case "member-first":
      case "member-key":
        if (WHITESPACE.test(c)) return;
        if (c === "}" && this.#phase === "member-first") return this.#endCall();
        if (c !== '"') return this.#die();
        this.#reader = new CanonicalJsonReader();
        this.#reader.read(c);
        this.#phase = "key";
        return;
      case "key":
        return this.#readKey(c);
      case "colon":
        if (WHITESPACE.test(c)) return;
        if (c !== ":") return this.#die();
        this.#startValue();
        return;
      case "value":
        return this.#readValue(c);
      case "member-after":
        if (WHITESPACE.test(c)) return;
        if (c === ",") this.#phase = "member-key";
        else if (c === "}") this.#endCall();
        else this.#die();
        return;
      case "between":
        return this.#between(c);
      case "dead":
        return;
    }
  }

  #readKey(c: string): undefined {
    const reader = this.#reader as CanonicalJsonReader;
    if (!reader.read(c)) return this.#die();
    if (!reader.complete) return;
    this.#key = JSON.parse(reader.take()) as string;
    this.#phase = "colon";
  }

  #startValue(): void {
    const isArguments = this.#key === this.#format.argumentsKey || this.#key === "arguments" || this.#key === "parameters";
    this.#role = this.#key === "name" ? "name" : isArguments && !this.#argumentsRead ? "arguments" : "other";
    this.#reader = new CanonicalJsonReader();
    this.#phase = "value";
  }

  #readValue(c: string): undefined {
    const reader = this.#reader as CanonicalJsonReader;
    const consumed = reader.read(c);
    if (reader.failed) return this.#die();
    const out = reader.take();
    if (this.#role === "arguments" && out !== "") {
      if (reader.first === "{") this.#sendArguments(out);
      else if (reader.first === '"') {
        this.#argumentsIsString = true;
        this.#pendingArguments += out;
      } else return this.#die(); // arguments that are not an object: not a call
    } else if (this.#role === "name") this.#pendingName += out;
    if (!reader.complete) return;
    this.#phase = "member-after";
    if (this.#role === "name" && !this.#named()) return;
    if (this.#role === "arguments" && !this.#argumentsDone()) return;
    if (!consumed) this.#read(c); // a number ended at this character
  }

  /** The name is complete: announces the call when it names a tool. */
  #named(): boolean {
    const name = JSON.parse(this.#pendingName) as unknown;
    this.#pendingName = "";
    if (typeof name !== "string" || !this.#names.has(name) || this.#name !== undefined) {
      this.#die();
      return false;
    }
    this.#name = name;
    const call = { id: this.#format.newId(), name };
    this.#calls.push(call);
    this.#deltas.push({ index: this.#calls.length - 1, id: call.id, name, arguments: "" });
    if (!this.#argumentsIsString && this.#pendingArguments !== "") {
      const pending = this.#pendingArguments;
      this.#pendingArguments = "";
      this.#sendArguments(pending);
    }
    return true;
  }

  /** The arguments are complete; arguments written as a JSON string are parsed and sent whole. */
  #argumentsDone(): boolean {
    this.#argumentsRead = true;
    if (!this.#argumentsIsString) return true;
    const inner = JSON.parse(this.#pendingArguments) as string;
    let parsed: unknown;
    try {
      parsed = JSON.parse(inner);
    } catch {
      parsed = undefined;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      this.#die();
      return false;
    }
    this.#argumentsIsString = false;
    this.#pendingArguments = "";
    this.#sendArguments(JSON.stringify(parsed));
    return true;
  }

  /** Sends a piece of the arguments, or keeps it until the name is known. */
  #sendArguments(piece: string): void {
    if (this.#name === undefined) {
      this.#pendingArguments += piece;
      return;
    }
    const index = this.#calls.length - 1;
    const last = this.#deltas.at(-1);
    if (last !== undefined && last.index === index && last.id === undefined) last.arguments += piece;
    else this.#deltas.push({ index, arguments: piece });
  }

  #startCall(): void {
    this.#name = undefined;
    this.#pendingName = "";
    this.#pendingArguments = "";
    this.#argumentsRead = false;
    this.#argumentsIsString = false;
    this.#phase = "member-first";
  }

  #endCall(): undefined {
    if (this.#name === undefined) return this.#die(); // a call without a name is not a call
    if (!this.#argumentsRead) this.#sendArguments("{}"); // no arguments: an empty object
    this.#phase = "between";
  }

  #between(c: string): undefined {
    const layout = this.#format.layout;
    if (layout.kind === "tagged") {
      this.#phase = "seek";
      return this.#read(c);
    }
    if (WHITESPACE.test(c)) return;
    if (layout.kind === "leading" && c === layout.separator) this.#phase = "object-open";
    else if (layout.kind === "list" && this.#inArray && c === ",") this.#phase = "object-open";
    else this.#die();
  }

  #die(): undefined {
    this.#phase = "dead";
  }
}
