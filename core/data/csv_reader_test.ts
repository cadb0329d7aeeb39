import assert from "node:assert/strict";
import { createRng } from "../math/rng.ts";
import { createCsvReader, parseNumber } from "./csv_reader.ts";

/** Every record as [line, ...fields], feeding the text in chunks of `chunk` bytes. */
function read(text: string, chunk = 1 << 20): string[][] {
  const out: string[][] = [];
  const reader = createCsvReader((r) =>
    out.push([String(r.line), ...Array.from({ length: r.length }, (_, i) => r.text(i))])
  );
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.slice(i, i + chunk));
  reader.end();
  return out;
}

const num = (text: string) => {
  const b = new TextEncoder().encode(text);
  return parseNumber(b, 0, b.length);
};

Deno.test("csv reader: RFC 4180 quotes, BOM, CRLF and empty lines, in any chunking", () => {
  const text = '\ufeffa,b,c\r\n1,"x,""y""\nz",3\n\n4,5,\n"6",7,8';
  const want = [
    ["1", "a", "b", "c"],
    ["2", "1", 'x,"y"\nz', "3"],
    ["5", "4", "5", ""],
    ["6", "6", "7", "8"],
  ];
  for (const chunk of [1, 2, 3, 5, 8, 1 << 20]) assert.deepEqual(read(text, chunk), want);
});

Deno.test("csv reader: text cells come back exactly, short or long, ASCII or not", () => {
  const long = "a".repeat(24), longer = "b".repeat(25), mixed = "x".repeat(20) + "é";
  const text = `café,日本,${long},${longer},${mixed},"q""uote",\t tab ,~\n`;
  const want = [["1", "café", "日本", long, longer, mixed, 'q"uote', "\t tab ", "~"]];
  for (const chunk of [1, 3, 1 << 20]) assert.deepEqual(read(text, chunk), want);
});

Deno.test("csv reader: a final line break or none, and a trailing delimiter, end the same", () => {
  assert.deepEqual(read("a,b\n1,2\n"), read("a,b\n1,2"));
  assert.deepEqual(read("a,b,\n"), [["1", "a", "b", ""]]);
  assert.deepEqual(read("a,b,"), [["1", "a", "b", ""]]);
  assert.deepEqual(read(""), []);
});

Deno.test("csv reader: bad quotes and CR-only line endings name the line", () => {
  assert.throws(() => read('a\n1\n2"x"\n'), {
    name: "TypeError",
    message: /^Invalid CSV: line 3 has a quote inside an unquoted field/,
  });
  assert.throws(() => read('a\n"x"y\n'), {
    message: /^Invalid CSV: line 2 has text after a closing quote/,
  });
  assert.throws(() => read('a\n"open\n1\n'), {
    message:
      "Invalid CSV: line 2 opens a quoted field that is never closed; check for a stray quote",
  });
  assert.throws(() => read("a,b\r1,2\r"), { message: /line 1 has a CR without LF/ });
  assert.throws(() => read("a\n" + '"' + "x".repeat(100), 7), { message: /never closed/ });
});

Deno.test("csv reader: a stray quote cannot swallow the file", () => {
  const reader = createCsvReader(() => {}, { maxRecordBytes: 64 });
  const bytes = new TextEncoder().encode('a\n"' + "x\n".repeat(100));
  assert.throws(() => reader.push(bytes), { message: /is longer than 64 bytes/ });
});

Deno.test("csv reader: other delimiters, and bad ones refused", () => {
  const out: string[] = [];
  const reader = createCsvReader((r) => out.push(r.text(1)), { delimiter: "\t" });
  reader.push(new TextEncoder().encode("a\tb,c\n"));
  reader.end();
  assert.deepEqual(out, ["b,c"]);
  for (const bad of ["", ";;", '"', "\n", "é"]) {
    assert.throws(
      () => createCsvReader(() => {}, { delimiter: bad }),
      /^TypeError: Invalid delimiter/,
    );
  }
});

Deno.test("strict numbers: decimals and exponents as Number() reads them; hex, _ and overflow are not numbers", () => {
  for (
    const [text, want] of [
      ["12", 12],
      ["-0.5", -0.5],
      [".5", 0.5],
      ["1.", 1],
      ["+3", 3],
      [" 7\t", 7],
      ["1e-3", 1e-3],
      ["-2.5E+2", -250],
      ["0.1", 0.1],
      ["1e-400", 0],
    ] as const
  ) {
    assert.equal(num(text), want, text);
  }
  for (
    const text of [
      "0x10",
      "1_000",
      "1e400",
      "-1e400",
      "",
      " ",
      "1e",
      "--1",
      "1.2.3",
      "1 2",
      "Infinity",
      "NaN",
      "abc",
    ]
  ) {
    assert.ok(Number.isNaN(num(text)), text);
  }
});

Deno.test("strict numbers: equal to Number() bit for bit on random decimal texts", () => {
  const rng = createRng(7);
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(10)).join("");
  for (let k = 0; k < 20_000; k++) {
    const sign = ["", "-", "+"][rng.int(3)];
    const int = digits(rng.int(20)), frac = rng.int(2) ? "." + digits(rng.int(20)) : "";
    if (int === "" && frac.length < 2) continue;
    const exp = rng.int(3) ? "" : `e${["", "-", "+"][rng.int(3)]}${rng.int(330)}`;
    const text = sign + int + frac + exp, want = Number(text);
    const got = num(text);
    if (Number.isFinite(want)) assert.ok(Object.is(got, want), `${text}: ${got} !== ${want}`);
    else assert.ok(Number.isNaN(got), text);
  }
});

Deno.test("missing values: empty, NA, N/A, NaN, null and ? in any case, but not quoted text", () => {
  const seen: boolean[] = [];
  const reader = createCsvReader((r) => {
    for (let i = 0; i < r.length; i++) seen.push(r.missing(i));
  });
  reader.push(new TextEncoder().encode(',NA,n/a, nan ,NULL,?,"",0,none,"NA"\n'));
  reader.end();
  assert.deepEqual(seen, [true, true, true, true, true, true, false, false, false, false]);
});
