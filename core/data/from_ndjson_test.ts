import assert from "node:assert/strict";
import { textStream } from "../_testing/train_fakes.ts";
import type { Sample } from "./data_source.ts";
import { fromNdjson, type NdjsonOptions } from "./from_ndjson.ts";

async function read(text: string, options?: NdjsonOptions): Promise<Sample[]> {
  const out: Sample[] = [];
  const source = fromNdjson(() => textStream(text, 7), options);
  for await (const s of source.open(new AbortController().signal)) out.push(s);
  return out;
}

Deno.test("fromNdjson reads one object per line, numbers or arrays, passing over blank lines", async () => {
  const rows = await read('{"x":[0],"y":1}\n\n{"x":2,"y":[0]}\r\n');
  assert.deepEqual(rows, [{ x: [0], y: 1 }, { x: [2], y: [0] }]);
});

Deno.test("fromNdjson reads other keys", async () => {
  const rows = await read('{"features":[3],"label":2}', { x: "features", y: "label" });
  assert.deepEqual(rows, [{ x: [3], y: 2 }]);
});

Deno.test("fromNdjson names the line of bad JSON and of a missing or non-numeric key", async () => {
  await assert.rejects(read('{"x":[1],"y":1}\n{"x":[1],\n'), {
    name: "TypeError",
    message: /line 2 is not JSON/,
  });
  await assert.rejects(read('{"x":[1],"y":1}\n{"x":[1]}\n'), {
    message: /line 2, key "y" is missing/,
  });
  await assert.rejects(read('{"x":["a"],"y":1}\n'), { message: /line 1, key "x" is \["a"\]/ });
});

Deno.test("fromNdjson names the file line of a row whose width differs from the first row's", async () => {
  const lines = Array.from(
    { length: 200 },
    (_, i) => JSON.stringify({ x: i === 150 ? [1, 2, 3] : [i, 1], y: [0] }),
  );
  await assert.rejects(read(["", ...lines].join("\n")), {
    name: "TypeError",
    message:
      "Invalid NDJSON: line 152 has 3 features and 1 targets but line 2 has 2 and 1; every line needs the same widths",
  });
  await assert.rejects(read('{"x":[1],"y":1}\n{"x":[2],"y":[1,0]}\n'), {
    message: /line 2 has 1 features and 2 targets but line 1 has 1 and 1/,
  });
  assert.equal((await read('{"x":1,"y":[0]}\n{"x":[2],"y":1}\n')).length, 2, "3 and [3] agree");
});

Deno.test("fromNdjson quotes a number too large for a float as the line writes it", async () => {
  await assert.rejects(read('{"x":[1,2],"y":0}\n{"id":1e999,"x":[1,-1e400],"y":0}\n'), {
    name: "RangeError",
    message:
      'Invalid NDJSON: line 2, key "x": value -1e400 is not a finite number; fix or remove the line',
  });
  await assert.rejects(read('{"x":[1],"y":2E+308}\n'), {
    message: /line 1, key "y": value 2E\+308 is not a finite number/,
  });
});
