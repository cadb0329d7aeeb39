import assert from "node:assert/strict";
import { readLines } from "./_read_lines.ts";

/** `text` as a byte stream cut every `size` bytes (cuts land inside CRLF and multi-byte characters). */
function chunked(text: string, size: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(c) {
      if (at >= bytes.length) return c.close();
      c.enqueue(bytes.slice(at, at += size));
    },
  });
}

async function lines(stream: ReadableStream<Uint8Array>, maxLine?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const line of readLines(stream, undefined, maxLine)) out.push(line);
  return out;
}

Deno.test("readLines splits LF and CRLF lines whatever the chunk boundaries", async () => {
  const text = "a,b\r\n1,é\n\n\r\nlast\r";
  for (const size of [1, 2, 3, 5, 1000]) {
    assert.deepEqual(await lines(chunked(text, size)), ["a,b", "1,é", "", "", "last"], `${size}`);
  }
  assert.deepEqual(await lines(chunked("x\ny", 1)), ["x", "y"], "no final newline");
  assert.deepEqual(await lines(chunked("", 1)), []);
});

Deno.test("readLines reads a 16 MiB line arriving in 16 KiB chunks whole", async () => {
  // It takes linear time (one pass over each chunk): see _read_lines_bench.ts.
  const mib = 16, piece = new TextEncoder().encode("1,".repeat(8 * 1024)); // 16 KiB chunks
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent === mib * 1024 * 1024) {
        return c.enqueue(new TextEncoder().encode("\n2\n")), c.close();
      }
      c.enqueue(piece.slice()), sent += piece.length;
    },
  });
  const got = await lines(stream);
  assert.deepEqual(got.map((l) => l.length), [mib * 1024 * 1024, 1]);
  assert.equal(got[0].slice(0, 4), "1,1,");
  assert.equal(got[1], "2");
});

Deno.test("readLines refuses a line past maxLine, naming it and what to check", async () => {
  const long = "x".repeat(1500);
  for (const size of [100, 4000]) {
    await assert.rejects(lines(chunked(`a\nb\n${long}\nc\n`, size), 1000), {
      name: "RangeError",
      message:
        "Line 3 is longer than 1000 characters: the file does not seem to be line-delimited; check that it is not pretty-printed JSON passed as NDJSON and that its lines end in LF or CRLF, not CR only",
    });
  }
  await assert.rejects(lines(chunked(long, 100), 1000), { message: /^Line 1 is longer/ });
  const exact = "y".repeat(1000);
  assert.deepEqual(await lines(chunked(`${exact}\r\n${exact}`, 7), 1000), [exact, exact]);
});
