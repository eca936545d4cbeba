import { MODEL_FLAGS, OUTPUT_FLAGS } from "../args/common.js";
import { inputLines } from "../args/input.js";
import { booleanFlag, numberFlag, stringFlag } from "../args/values.js";
import { UsageError } from "../errors.js";
import { columns, score } from "../output/format.js";
import { type Command, loadPipeline, printJson } from "./command.js";

/** `proj rerank`: documents ordered by relevance to a query, with a cross-encoder. */
export const rerankCommand: Command = {
  name: "rerank",
  summary: "order documents by relevance to a query with a cross-encoder (encoder)",
  usage: "proj rerank --query <text> [document...] [flags]      (one document per argument, or per line of stdin)",
  examples: [
    'proj rerank --query "how fast do dogs run?" "Cats sleep a lot." "Greyhounds reach 70 km/h."',
    'proj rerank -Q "refund policy" --top-k 3 --json < candidates.txt',
  ],
  flags: {
    query: { type: "string", short: "Q", value: "text", description: "the query (required)" },
    "top-k": { type: "string", value: "n", description: "documents to show, best first (default all)" },
    ...MODEL_FLAGS,
    ...OUTPUT_FLAGS,
  },
  async run(args, io) {
    const query = stringFlag(args, "query");
    if (query === undefined || query.trim() === "") throw new UsageError("--query is required", "rerank");
    const topK = numberFlag(args, "top-k", "rerank", { integer: true, min: 1 });
    const documents = await inputLines(args.positionals, io, "rerank", "documents to rerank");
    if (documents.length === 0) throw new UsageError("no documents to rerank", "rerank");
    const rank = await loadPipeline("text-ranking", args, io, "rerank");
    try {
      const ranked = await rank(query, documents, { returnDocuments: true, ...(topK !== undefined ? { topK } : {}) });
      if (booleanFlag(args, "json")) printJson(io, ranked);
      else io.stdout.write(`${columns(ranked.map((r) => [score(r.score), String(r.index), documents[r.index] ?? ""]))}\n`);
      return 0;
    } finally {
      await rank.dispose();
    }
  },
};
