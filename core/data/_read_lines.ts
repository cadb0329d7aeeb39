import { readStream } from "./_read_stream.ts";

/**
 * Splits a byte stream of UTF-8 text into lines (LF or CRLF), keeping only the
 * unfinished line between chunks, so memory stays bounded by the longest line.
 */
export async function* readLines(
  bytes: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
): AsyncGenerator<string, void, undefined> {
  let carry = "";
  for await (const chunk of readStream(bytes.pipeThrough(new TextDecoderStream()), signal)) {
    const text = carry === "" ? chunk : carry + chunk;
    let start = 0;
    for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", start)) {
      yield text.charCodeAt(nl - 1) === 13 && nl > start
        ? text.slice(start, nl - 1)
        : text.slice(start, nl);
      start = nl + 1;
    }
    carry = text.slice(start);
  }
  if (carry !== "" && !signal?.aborted) yield carry.endsWith("\r") ? carry.slice(0, -1) : carry;
}
