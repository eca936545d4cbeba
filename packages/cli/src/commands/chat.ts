import { createInterface } from "node:readline";
import type { DecodingOptions } from "@proj/core";
import { type ChatSession, createChatSession } from "@proj/decoder";
import type { ChatPipeline } from "@proj/pipeline";
import { fileFlag } from "../args/file-flag.js";
import { RESPONSE_FORMAT_FLAGS, responseFormatOption } from "../args/response-format.js";
import { DECODING_FLAGS, decodingOptions, MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { booleanFlag, stringFlag } from "../args/values.js";
import { EXIT_CODES, UsageError } from "../errors.js";
import { type CliIO, readAll } from "../io.js";
import { metricsLine } from "../output/format.js";
import { type Command, loadPipeline, withInterrupt } from "./command.js";

const HELP = "commands: /reset forgets the conversation, /exit (or Ctrl-D) quits";

/** `proj chat`: an interactive conversation that keeps its history. */
export const chatCommand: Command = {
  name: "chat",
  summary: "chat with an instruction-tuned model, keeping the conversation's history (decoder)",
  usage: "proj chat [flags]      (a terminal gets a prompt; piped stdin is one user turn per line)",
  examples: [
    'proj chat --system "You are a concise assistant."',
    'printf "Hi!\\nWhat did I just say?\\n" | proj chat --max-new-tokens 64 --json',
  ],
  flags: {
    system: { type: "string", value: "text", description: "a system message that starts the conversation" },
    "chat-template": { type: "string", value: "file", description: "a Jinja chat template file, for models that ship none" },
    metrics: { type: "boolean", description: "print TTFT, TPOT and tokens/s after each answer (stderr)" },
    ...DECODING_FLAGS,
    ...RESPONSE_FORMAT_FLAGS,
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError("chat reads its turns from the terminal or stdin, not from arguments", "chat");
    const chatTemplate = await fileFlag(args, "chat-template", io, "chat");
    const system = stringFlag(args, "system");
    const options = {
      ...decodingOptions(args, "chat"),
      ...(await responseFormatOption(args, io, "chat")),
    };
    const chat = await loadPipeline("chat", args, io, "chat");
    const session = new Conversation(chat, io, options, { system, chatTemplate }, booleanFlag(args, "json"), booleanFlag(args, "metrics"));
    try {
      if (io.stdin.isTTY) return await session.interactive();
      const turns = (await readAll(io.stdin))
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== "");
      if (turns.length === 0) throw new UsageError("no chat turns on stdin (one user message per line)", "chat");
      for (const turn of turns) {
        if (await session.turn(turn)) return EXIT_CODES.interrupted;
      }
      return 0;
    } finally {
      await session.dispose();
      await chat.dispose();
    }
  },
};

/**
 * A conversation and how its answers are shown: a chat session of the model, so each turn prefills only the new
 * message (the earlier turns' key/values stay in the generator's prefix cache); `/reset` starts a new session.
 */
class Conversation {
  #session: Promise<ChatSession>;

  constructor(
    readonly chat: ChatPipeline,
    readonly io: CliIO,
    readonly options: DecodingOptions,
    readonly start: { system: string | undefined; chatTemplate: string | undefined },
    readonly json: boolean,
    readonly metrics: boolean,
  ) {
    this.#session = this.#open();
  }

  #open(): Promise<ChatSession> {
    const { system, chatTemplate } = this.start;
    return createChatSession(this.chat.handle, {
      ...(system ? { system } : {}),
      ...(chatTemplate ? { chatTemplate } : {}),
    });
  }

  async reset(): Promise<void> {
    await (await this.#session).dispose();
    this.#session = this.#open();
  }

  async dispose(): Promise<void> {
    await (await this.#session).dispose();
  }

  /** Answers one user message, streaming it; true when interrupted (Ctrl-C, or `controller` aborted). */
  async turn(content: string, controller?: AbortController): Promise<boolean> {
    const session = await this.#session;
    const answer = async (signal: AbortSignal) => {
      const stream = session.stream(content, { ...this.options, signal });
      if (!this.json) for await (const chunk of stream) this.io.stdout.write(chunk.text);
      return stream.result;
    };
    const { value: result, interrupted } = controller
      ? { value: await answer(controller.signal), interrupted: controller.signal.aborted }
      : await withInterrupt(answer);
    if (this.json)
      this.io.stdout.write(
        `${JSON.stringify({ role: "assistant", content: result.text, finishReason: result.finishReason, metrics: result.metrics })}\n`,
      );
    else this.io.stdout.write("\n");
    if (this.metrics) this.io.stderr.write(`${metricsLine(result.metrics)}\n`);
    return interrupted;
  }

  /** The terminal loop: a prompt, /reset and /exit, Ctrl-C stops an answer, Ctrl-D quits. */
  async interactive(): Promise<number> {
    this.io.stderr.write(`${HELP}\n`);
    const rl = createInterface({ input: this.io.stdin, output: this.io.stderr, prompt: "you> " });
    let answering: AbortController | undefined;
    // Ctrl-C stops the answer being written; at the prompt it quits.
    rl.on("SIGINT", () => (answering ? answering.abort() : rl.close()));
    rl.prompt();
    for await (const line of rl) {
      const text = line.trim();
      if (text === "/exit" || text === "/quit") break;
      if (text === "/reset") {
        await this.reset();
        this.io.stderr.write("(conversation forgotten)\n");
      } else if (text === "/help") {
        this.io.stderr.write(`${HELP}\n`);
      } else if (text !== "") {
        answering = new AbortController();
        await this.turn(text, answering);
        answering = undefined;
      }
      rl.prompt();
    }
    rl.close();
    return 0;
  }
}
