import { PassThrough } from "node:stream";
import { CANONICAL_TASKS, resolveTask, TASK_ALIASES, TASK_TABLE, taskRow } from "@proj/chooser";
import { fixture } from "@proj/testing";
import { describe, expect, it } from "vitest";
import { COMMANDS, type CliIO, runCli } from "../src/index.js";
import { resolveCommand } from "../src/commands/task-commands.js";
import { proj } from "./helpers.js";

/** In-memory streams for runCli. */
function memoryIO(): { io: CliIO; out: () => string } {
  const stdout = new PassThrough();
  let text = "";
  stdout.on("data", (d: Buffer) => (text += d.toString("utf8")));
  const stdin = new PassThrough();
  stdin.end();
  return { io: { stdin, stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd() }, out: () => text };
}

describe("CLI commands come from the chooser's task vocabulary", () => {
  it("every task's command in the chooser's table (servedBy.cli) is a proj command", () => {
    for (const row of TASK_TABLE) {
      const [proj_, name] = row.servedBy.cli.split(" ");
      expect(proj_).toBe("proj");
      expect(
        COMMANDS.map((c) => c.name),
        row.task,
      ).toContain(name);
    }
  });

  it("every canonical task name and alias runs its task's command (--help shows that command's help)", async () => {
    for (const name of [...CANONICAL_TASKS, ...Object.keys(TASK_ALIASES)]) {
      const want = taskRow(name).servedBy.cli.split(" ")[1];
      expect({ name, command: resolveCommand(name, COMMANDS)?.command.name }).toEqual({ name, command: want });
      const { io, out } = memoryIO();
      const code = await runCli([name, "--help"], io);
      expect({ name, code }).toEqual({ name, code: 0 });
      expect(out()).toContain(`usage: proj ${want}`);
    }
    expect(resolveCommand("generative-qa", COMMANDS)?.args).toEqual(["--generative"]);
    expect(resolveCommand("translation_en_to_de", COMMANDS)).toMatchObject({
      command: { name: "translate" },
      args: ["--from", "en", "--to", "de"],
    });
    expect(resolveCommand("sentiment", COMMANDS)).toBeUndefined();
    expect(resolveTask("qa").task).toBe("question-answering");
  });

  it("a task name runs the same as its command", async () => {
    const [byCommand, byTask] = await Promise.all([
      proj(["classify", "-m", fixture("bert-seq-cls"), "--json", "--top-k", "all", "I love it"]),
      proj(["sentiment-analysis", "-m", fixture("bert-seq-cls"), "--json", "--top-k", "all", "I love it"]),
    ]);
    expect(byCommand.code).toBe(0);
    expect(byTask.stdout).toBe(byCommand.stdout);
    const translated = await proj(["translation_en_to_de", "-m", fixture("t5"), "--max-new-tokens", "3", "--json", "A dog runs."]);
    expect(translated.code).toBe(0);
    expect(JSON.parse(translated.stdout)).toMatchObject({
      from: expect.stringMatching(/en|English/),
      to: expect.stringMatching(/de|German/),
    });
  });
});
