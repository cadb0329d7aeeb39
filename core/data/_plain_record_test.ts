import assert from "node:assert/strict";
import { createRng } from "../math/rng.ts";
import { createCsvReader } from "./csv_reader.ts";
import { parseNumber } from "./parse_number.ts";
import { plainLaneFits, plainRecord } from "./_plain_record.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** Each record's fields as [text, number, plain?], the reader fed `chunk` bytes at a time. */
function read(text: string, chunk = 1 << 20): [string, number, boolean][][] {
  const out: [string, number, boolean][][] = [];
  const reader = createCsvReader((r) => {
    const plain = r.values() !== undefined;
    out.push(Array.from({ length: r.length }, (_, f) => [r.text(f), r.number(f), plain]));
  });
  const bytes = encode(text);
  for (let i = 0; i < bytes.length; i += chunk) reader.push(bytes.slice(i, i + chunk));
  reader.end();
  return out;
}

/** The general path's number for a field's text. */
const general = (text: string) => parseNumber(encode(text), 0, encode(text).length);

Deno.test("the fast lane reads plain whole numbers, and leaves every other record to the reader", () => {
  const into = { values: new Float64Array(8), count: 0 };
  const line = encode("12,0,255,123456789012345\n");
  assert.equal(plainRecord(line, 0, 0x2c, into), line.length);
  assert.deepEqual([...into.values.subarray(0, into.count)], [12, 0, 255, 123456789012345]);
  assert.equal(plainRecord(encode("1,2\r\n"), 0, 0x2c, into), 5);
  for (
    const text of [
      "007,1\n", // a leading zero: its text is not the number's
      "-0,1\n",
      "+5,1\n",
      "1234567890123456,1\n", // 16 digits: rounded as Number() rounds them
      "1.5,1\n",
      " 5,1\n",
      "5 ,1\n",
      ",1\n",
      "1,\n",
      '"5",1\n',
      "1e3,1\n",
      "1,2", // no line break yet: the next chunk may go on
      "1,2\r", // CR at the end of the chunk
      "1,2\r3\n", // CR without LF: the reader's error
      "1,2,3,4,5,6,7,8,9\n", // more fields than the lane holds
    ]
  ) {
    assert.equal(plainRecord(encode(text), 0, 0x2c, into), -1, text);
  }
  assert.equal(plainLaneFits(0x2c), true);
  assert.equal(plainLaneFits(0x31), false); // a digit delimiter would read as digits
});

Deno.test("the fast lane and the general path give the same texts and floats, in any chunking", () => {
  const cells = [
    "0",
    "7",
    "255",
    "007",
    "-0",
    "+5",
    "123456789012345", // 15 digits: the lane's longest
    "9007199254740993", // past 2^53: the general path rounds it
    "12345678901234567890",
    "00",
    "1.0",
    "",
    " 3",
  ];
  const plain = ["0,7,255,123456789012345", "1,2,3,4"];
  const mixed = cells.map((cell) => `${cell},1`);
  const text = ["a,b,c,d", ...plain, ...mixed, "5,6\r\n7,8"].join("\n") + "\n";
  const want = read(text);
  for (const row of want.slice(1)) {
    for (const [cell, number] of row) {
      assert.ok(Object.is(number, general(cell)), `${cell}: ${number} and ${general(cell)}`);
    }
  }
  assert.deepEqual(
    want.slice(1, 3).map((row) => row.map(([t]) => t)),
    plain.map((p) => p.split(",")),
  );
  assert.deepEqual(want.slice(3, 3 + cells.length).map((row) => row[0][0]), cells);
  assert.deepEqual(want.map((row) => row[0][2]), [
    false,
    true,
    true,
    ...cells.map((cell) => ["0", "7", "255", "123456789012345"].includes(cell)),
    true,
    true,
  ]);
  for (const chunk of [1, 2, 3, 5, 7, 64]) assert.deepEqual(read(text, chunk), want);
});

Deno.test("the fast lane reads random whole numbers as Number() does", () => {
  const rng = createRng(11);
  const rows = Array.from({ length: 300 }, () =>
    Array.from({ length: 1 + rng.int(20) }, () => {
      const digits = 1 + rng.int(17);
      return Array.from({ length: digits }, () => rng.int(10)).join("");
    }).join(","));
  for (const row of read(rows.join("\r\n") + "\r\n", 97)) {
    for (const [cell, number] of row) assert.ok(Object.is(number, Number(cell)), cell);
  }
});
