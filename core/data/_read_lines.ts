import { readStream } from "./_read_stream.ts";

/** Longest line {@linkcode readLines} accepts by default, in characters (64 MiB). */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

function tooLong(line: number, max: number): RangeError {
  return new RangeError(
    `Line ${line} is longer than ${max} characters: the file does not seem to be line-delimited; check that it is not pretty-printed JSON passed as NDJSON and that its lines end in LF or CRLF, not CR only`,
  );
}

/**
 * Splits a byte stream of UTF-8 text into lines (LF or CRLF), keeping only the
 * unfinished line between chunks, so memory stays bounded by the longest line.
 * Each chunk is searched once: the unfinished line is kept as a list of parts
 * and joined when its end arrives, so a long line costs linear time. A line
 * past `maxLine` characters is a RangeError naming its number.
 */
export async function* readLines(
  bytes: ReadableStream<Uint8Array>,
  signal?: AbortSignal,
  maxLine: number = MAX_LINE_CHARS,
): AsyncGenerator<string, void, undefined> {
  let parts: string[] = [], carried = 0, lineNo = 1;
  const finish = (tail: string): string => {
    const text = parts.length === 0 ? tail : parts.join("") + tail;
    parts = [], carried = 0;
    const line = text.endsWith("\r") ? text.slice(0, -1) : text;
    if (line.length > maxLine) throw tooLong(lineNo, maxLine);
    return line;
  };
  for await (const chunk of readStream(bytes.pipeThrough(new TextDecoderStream()), signal)) {
    let start = 0;
    for (let nl = chunk.indexOf("\n"); nl !== -1; nl = chunk.indexOf("\n", start)) {
      yield finish(chunk.slice(start, nl));
      lineNo++;
      start = nl + 1;
    }
    if (start < chunk.length) {
      carried += chunk.length - start;
      // One extra character of room for the "\r" of a CRLF split across chunks.
      if (carried > maxLine + 1) throw tooLong(lineNo, maxLine);
      parts.push(start === 0 ? chunk : chunk.slice(start));
    }
  }
  if (parts.length > 0 && !signal?.aborted) yield finish("");
}
