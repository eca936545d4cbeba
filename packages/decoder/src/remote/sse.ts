/** The `data:` value of a line, or `undefined` for other fields and comments. */
function dataOf(line: string): string | undefined {
  if (!line.startsWith("data:")) return undefined;
  return line.slice(line.startsWith("data: ") ? 6 : 5);
}

/**
 * Reads a server-sent-events body and yields the `data:` payload of each event (multi-line data joined with
 * `\n`), as OpenAI-compatible servers stream: JSON chunks, then `[DONE]`. Comments and other fields are skipped;
 * stopping the iteration early cancels the body.
 *
 * @example
 * for await (const data of sseData(response.body)) {
 *   if (data === "[DONE]") break;
 *   const chunk = JSON.parse(data);
 * }
 */
export async function* sseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffer = "";
  let data: string[] = [];
  let finished = false;
  try {
    while (!finished) {
      const { done, value } = await reader.read();
      finished = done;
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const at = buffer.search(/[\r\n]/);
        // A lone "\r" at the end may be the first half of "\r\n": wait for the next bytes.
        if (at < 0 || (at === buffer.length - 1 && buffer[at] === "\r" && !done)) break;
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + (buffer.startsWith("\r\n", at) ? 2 : 1));
        if (line === "") {
          if (data.length > 0) yield data.join("\n");
          data = [];
        } else {
          const value = dataOf(line);
          if (value !== undefined) data.push(value);
        }
      }
    }
    const last = dataOf(buffer);
    if (last !== undefined) data.push(last);
    if (data.length > 0) yield data.join("\n");
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
