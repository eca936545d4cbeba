import { renderBiasReport } from "@proj/encoder";
import { MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { booleanFlag, listFlag, numberFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { type Command, loadPipeline, printJson } from "./command.js";

/** `proj audit-bias`: fill-mask probes of what a model associates with groups of people. */
export const auditBiasCommand: Command = {
  name: "audit-bias",
  summary: "probe a masked language model for differences between groups (encoder)",
  usage: "proj audit-bias [flags]",
  examples: ["proj audit-bias", 'proj audit-bias --group men=man,he --group women=woman,she --template "{group} is very {mask}."'],
  flags: {
    group: {
      type: "string",
      multiple: true,
      value: "name=w1,w2",
      description: "a group and its words (at least two groups; default men vs women)",
    },
    template: {
      type: "string",
      multiple: true,
      value: "text",
      description: "a probe with {group} and {mask} (default: occupations and traits)",
    },
    "top-k": { type: "string", value: "n", description: "completions listed per group (default 10)" },
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new UsageError(`audit-bias takes no text arguments (got "${args.positionals.join(" ")}"); use --template`, "audit-bias");
    const topK = numberFlag(args, "top-k", "audit-bias", { integer: true, min: 1 });
    const groups = parseGroups(listFlag(args, "group", false));
    const templates = listFlag(args, "template", false);
    const audit = await loadPipeline("bias-audit", args, io, "audit-bias");
    try {
      const report = await audit({
        ...(topK !== undefined ? { topK } : {}),
        ...(groups ? { groups } : {}),
        ...(templates ? { templates: [{ name: "custom", templates }] } : {}),
      });
      if (booleanFlag(args, "json")) printJson(io, report);
      else io.stdout.write(renderBiasReport(report));
      return 0;
    } finally {
      await audit.dispose();
    }
  },
};

function parseGroups(specs: string[] | undefined): Record<string, string[]> | undefined {
  if (!specs) return undefined;
  const groups: Record<string, string[]> = {};
  for (const spec of specs) {
    const [name, words] = spec.split("=", 2);
    const list = (words ?? "")
      .split(",")
      .map((w) => w.trim())
      .filter((w) => w !== "");
    if (!name?.trim() || list.length === 0)
      throw new UsageError(`--group must look like name=word1,word2, got ${JSON.stringify(spec)}`, "audit-bias");
    groups[name.trim()] = list;
  }
  if (Object.keys(groups).length < 2) throw new UsageError("give at least two --group flags to compare", "audit-bias");
  return groups;
}
