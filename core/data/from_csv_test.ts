import assert from "node:assert/strict";
import { textStream } from "../_testing/train_fakes.ts";
import type { Sample, StreamSource } from "./data_source.ts";
import { fromCsv } from "./from_csv.ts";

async function read(source: StreamSource): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of source.open(new AbortController().signal)) out.push(s);
  return out;
}
const csv = (text: string, options: Parameters<typeof fromCsv>[1], chunk?: number) =>
  read(fromCsv(() => textStream(text, chunk), options));

Deno.test("fromCsv reads numeric rows with the target column split off", async () => {
  const rows = await csv("a,b,label\n0.5,1,0\n2,3.5,1\n", { target: "label" });
  assert.deepEqual(rows, [{ x: [0.5, 1], y: [0] }, { x: [2, 3.5], y: [1] }]);
});

Deno.test("fromCsv picks and orders feature columns and several targets", async () => {
  const rows = await csv("a,b,c,t1,t2\n1,2,3,4,5\n", {
    target: ["t2", "t1"],
    features: ["c", "a"],
  });
  assert.deepEqual(rows, [{ x: [3, 1], y: [5, 4] }]);
});

Deno.test("fromCsv handles quoted fields with delimiters, doubled quotes and line breaks", async () => {
  const text = 'name,"x, first",y\r\n"a ""quoted"" name",1,2\r\n"two\nlines",3,4\r\n';
  const rows = await csv(text, { target: "y", features: ["x, first"] });
  assert.deepEqual(rows, [{ x: [1], y: [2] }, { x: [3], y: [4] }]);
});

Deno.test("fromCsv gives the same rows whatever the chunk boundaries", async () => {
  const text = 'a,b\n1,"2"\n3,4\r\n5,6';
  const whole = await csv(text, { target: "b" });
  assert.deepEqual(await csv(text, { target: "b" }, 1), whole);
  assert.deepEqual(whole, [{ x: [1], y: [2] }, { x: [3], y: [4] }, { x: [5], y: [6] }]);
});

Deno.test("fromCsv reads other delimiters and passes over empty lines", async () => {
  const rows = await csv("a;b\n\n1;2\n\n", { target: "b", delimiter: ";" });
  assert.deepEqual(rows, [{ x: [1], y: [2] }]);
});

Deno.test("fromCsv names the line of a row with the wrong number of fields", async () => {
  await assert.rejects(csv("a,b\n1,2\n3\n", { target: "b" }), {
    name: "TypeError",
    message: /line 3 has 1 fields but the header has 2/,
  });
});

Deno.test("fromCsv names the line and column of a value that is not a number", async () => {
  await assert.rejects(csv("a,b\n1,2\n3,4\nx,6\n", { target: "b" }), {
    name: "TypeError",
    message: /line 4, column "a": "x" is not a number/,
  });
  await assert.rejects(csv("a,b\n1,\n", { target: "b" }), { message: /line 2, column "b": ""/ });
});

Deno.test("fromCsv counts physical lines when a quoted field spans lines", async () => {
  await assert.rejects(csv('a,b,c\n1,"x\ny",3\nz,"",4\n', { target: "c", features: ["a"] }), {
    message: /line 4, column "a"/,
  });
});

Deno.test("fromCsv rejects an unclosed quote, an unknown column and an empty file", async () => {
  await assert.rejects(csv('a,b\n"1,2\n', { target: "b" }), {
    message: /line 2 opens a quoted field/,
  });
  await assert.rejects(csv("a,b\n1,2\n", { target: "c" }), {
    name: "TypeError",
    message: 'Unknown CSV column "c": the header has a, b',
  });
  await assert.rejects(csv("", { target: "b" }), { message: /needs a header row/ });
  await assert.rejects(csv('a,b\n"1"x,2\n', { target: "b" }), {
    message: /text after a closing quote/,
  });
});

Deno.test("fromCsv explains CR-only line endings", async () => {
  await assert.rejects(csv("a,b,label\r1,2,0\r3,4,1\r", { target: "label" }), {
    name: "TypeError",
    message:
      "Invalid CSV: line 1 has a CR without LF: the file seems to use CR-only line endings; convert it to LF or CRLF",
  });
});

Deno.test("fromCsv reads strict numbers only: no hex, no _, a missing cell named", async () => {
  await assert.rejects(csv("a,b\n0x10,1\n", { target: "b" }), {
    message: /line 2, column "a": "0x10" is not a number/,
  });
  await assert.rejects(csv("a,b\n1_000,1\n", { target: "b" }), {
    message: /"1_000" is not a number/,
  });
});

Deno.test("fromCsv says a number too large for a float is not finite", async () => {
  await assert.rejects(csv("a,b\n1,2\n1e400,3\n", { target: "b" }), {
    message:
      /^Invalid CSV: line 3, column "a": "1e400" is not a finite number; fix or remove the row$/,
  });
});

Deno.test("fromCsv opens a new stream for every pass", async () => {
  let opened = 0;
  const source = fromCsv(() => (opened++, textStream("a,b\n1,2\n")), { target: "b" });
  assert.equal((await read(source)).length, 1);
  assert.equal((await read(source)).length, 1);
  assert.equal(opened, 2);
});

Deno.test("fromCsv cancels the byte stream when the reader stops early", async () => {
  let cancelled = false;
  const bytes = new TextEncoder().encode("a,b\n1,2\n3,4\n");
  const source = fromCsv(
    () =>
      new ReadableStream({
        start: (c) => c.enqueue(bytes),
        cancel: () => void (cancelled = true),
      }),
    { target: "b" },
  );
  for await (const _ of source.open(new AbortController().signal)) break;
  assert.ok(cancelled);
});
