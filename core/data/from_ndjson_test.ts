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
  const rows = await read('{"x":[0,1],"y":1}\n\n{"x":2,"y":[0,1]}\r\n');
  assert.deepEqual(rows, [{ x: [0, 1], y: 1 }, { x: [2], y: [0, 1] }]);
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
