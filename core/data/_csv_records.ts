/** One CSV record: its fields and the line it starts on (1-based, the header is line 1). */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
}

/** A quoted field may span lines, but not more than this: a stray quote must not swallow the file. */
const MAX_RECORD_CHARS = 1 << 20;

function countQuotes(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) n++;
  return n;
}

/** RFC 4180 fields of a record that holds quotes: `""` inside quotes is one quote. */
function splitQuoted(record: string, delimiter: string, line: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (record[i] === '"') {
      let value = "";
      let from = ++i;
      for (;;) {
        const q = record.indexOf('"', i);
        if (q === -1) {
          throw new TypeError(
            `Invalid CSV: line ${line} has a quote inside an unquoted field; quote the whole field and write a quote inside it as ""`,
          );
        }
        if (record[q + 1] === '"') value += record.slice(from, q + 1), (i = from = q + 2);
        else {
          value += record.slice(from, q);
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i < record.length && !record.startsWith(delimiter, i)) {
        throw new TypeError(
          `Invalid CSV: line ${line} has text after a closing quote; quote the whole field and write a quote inside it as ""`,
        );
      }
    } else {
      const end = record.indexOf(delimiter, i);
      fields.push(record.slice(i, end === -1 ? record.length : end));
      i = end === -1 ? record.length : end;
    }
    if (i >= record.length) return fields;
    i += delimiter.length;
    if (i === record.length) return fields.push(""), fields;
  }
}

/**
 * Groups lines into CSV records (a quoted field may hold line breaks: a record
 * is complete when it holds an even number of quotes) and splits each into
 * fields. Empty lines hold no record and are passed over.
 */
export async function* csvRecords(
  lines: AsyncIterable<string>,
  delimiter: string,
): AsyncGenerator<CsvRecord, void, undefined> {
  let lineNo = 0, start = 0, pending = "", open = false;
  for await (const text of lines) {
    lineNo++;
    if (!open) {
      if (text === "") continue;
      if (text.indexOf('"') === -1) {
        yield { fields: text.split(delimiter), line: lineNo };
        continue;
      }
      start = lineNo;
      pending = text;
    } else pending += "\n" + text;
    open = countQuotes(pending) % 2 === 1;
    if (open && pending.length > MAX_RECORD_CHARS) break;
    if (!open) yield { fields: splitQuoted(pending, delimiter, start), line: start };
  }
  if (open) {
    throw new TypeError(
      `Invalid CSV: line ${start} opens a quoted field that is never closed; check for a stray quote`,
    );
  }
}
