import { auditBiasCommand } from "./audit-bias.js";
import { benchCommand } from "./bench.js";
import { chatCommand } from "./chat.js";
import { chooseCommand } from "./choose.js";
import { classifyCommand } from "./classify.js";
import type { Command } from "./command.js";
import { describeCommand } from "./describe.js";
import { embedCommand } from "./embed.js";
import { fillMaskCommand } from "./fill-mask.js";
import { generateCommand } from "./generate.js";
import { nerCommand } from "./ner.js";
import { qaCommand } from "./qa.js";
import { quantizeCommand } from "./quantize.js";
import { rerankCommand } from "./rerank.js";
import { summarizeCommand, translateCommand } from "./seq2seq.js";
import { serveCommand } from "./serve.js";
import { zeroShotCommand } from "./zero-shot.js";

/**
 * Every `proj` command, in the order `proj --help` lists them.
 *
 * @example
 * COMMANDS.map((c) => c.name); // ["classify", "ner", "qa", ...]
 */
export const COMMANDS: readonly Command[] = [
  classifyCommand,
  nerCommand,
  qaCommand,
  fillMaskCommand,
  auditBiasCommand,
  embedCommand,
  rerankCommand,
  zeroShotCommand,
  generateCommand,
  chatCommand,
  translateCommand,
  summarizeCommand,
  chooseCommand,
  describeCommand,
  quantizeCommand,
  serveCommand,
  benchCommand,
];
