import assert from "node:assert/strict";
import { readCsvHeader, tableHeaderProblem } from "./csv_header.ts";

const bytes = (text: string) => new Blob([text]).stream();

Deno.test("readCsvHeader reads the names of the first record, quotes and delimiter included", async () => {
  assert.deepEqual(await readCsvHeader(bytes('a,"b,c",d\n1,2,3\n')), ["a", "b,c", "d"]);
  assert.deepEqual(await readCsvHeader(bytes("x\ty"), { delimiter: "\t" }), ["x", "y"]);
});

Deno.test("readCsvHeader stops after the header's chunk and cancels the stream", async () => {
  let pulls = 0, cancelled = false;
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++;
      controller.enqueue(encoder.encode(pulls === 1 ? "x,y\n" : "1,2\n".repeat(1000)));
    },
    cancel() {
      cancelled = true;
    },
  }, { highWaterMark: 0 });
  assert.deepEqual(await readCsvHeader(stream), ["x", "y"]);
  assert.equal(cancelled, true);
  assert.ok(pulls <= 2, `read ${pulls} chunks`);
});

Deno.test("a bad row after the header is left to the fit pass", async () => {
  const text = `x,y\n${"1".repeat(2 << 20)}\n`; // a record past the reader's 1 MiB limit
  assert.deepEqual(await readCsvHeader(bytes(text)), ["x", "y"]);
});

Deno.test("readCsvHeader refuses an empty file and a blank column name", async () => {
  await assert.rejects(readCsvHeader(bytes("")), /^TypeError: Invalid CSV: the file is empty/);
  await assert.rejects(
    readCsvHeader(bytes("x,,y\n1,2,3\n")),
    /^TypeError: Invalid CSV header: column 2 has no name/,
  );
});

Deno.test("tableHeaderProblem names a missing target, an unknown or ignored column, a repeat", () => {
  const header = ["x", " city ", "y"];
  assert.equal(
    tableHeaderProblem(header, { target: "y", columns: { city: "category" } }),
    undefined,
  );
  assert.deepEqual(tableHeaderProblem(header, { target: "z" }), {
    on: "target",
    message: 'Unknown target column "z": the header has x, city, y',
  });
  assert.deepEqual(tableHeaderProblem(header, { target: "y", columns: { town: "ignore" } }), {
    on: "columns",
    message: 'Unknown column "town" in the column types: the header has x, city, y',
  });
  assert.deepEqual(tableHeaderProblem(header, { target: "y", columns: { y: "ignore" } }), {
    on: "columns",
    message: 'Invalid column types: the target "y" cannot be ignored',
  });
  assert.equal(tableHeaderProblem(["x", "x", "y"], { target: "y" })?.on, "header");
});
