// readLines keeps an unfinished line as a list of parts and searches each chunk
// once, so a 16 MiB line costs about what 16 MiB of short lines cost. Re-scanning
// the carried line for every chunk took about 5 s for it (hundreds of times the baseline).
import { readLines } from "./_read_lines.ts";

const BYTES = 16 * 1024 * 1024, CHUNK = 16 * 1024;

/** BYTES of `text` repeated, in CHUNK-long pieces, then `end`. */
function stream(text: string, end = ""): ReadableStream<Uint8Array> {
  const piece = new TextEncoder().encode(text.repeat(CHUNK / text.length));
  let sent = 0;
  return new ReadableStream({
    pull(c) {
      if (sent === BYTES) return c.enqueue(new TextEncoder().encode(end)), c.close();
      c.enqueue(piece.slice()), sent += piece.length;
    },
  });
}

async function count(bytes: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const _ of readLines(bytes)) n++;
  return n;
}

const group = "readLines over 16 MiB in 16 KiB chunks";
const kibLine = "1,".repeat(511) + "1\n";
Deno.bench("lines of 1 KiB", { group, baseline: true, n: 5, warmup: 1 }, async () => {
  if (await count(stream(kibLine)) !== BYTES / 1024) throw new Error("expected 16,384 lines");
});
Deno.bench("one 16 MiB line", { group, n: 5, warmup: 1 }, async () => {
  if (await count(stream("1,", "\n")) !== 1) throw new Error("expected one line");
});
