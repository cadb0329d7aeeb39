import assert from "node:assert/strict";
import { ApiError } from "./errors.ts";
import { parseSamples, readSamples } from "./ndjson_samples.ts";

const WIDTHS = { inputs: 2, outputs: 1 };

/** A request whose body arrives in the given chunks, counting the chunks pulled. */
function chunked(chunks: string[]): { request: Request; pulled: () => number } {
  const bytes = chunks.map((c) => new TextEncoder().encode(c));
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (next < bytes.length) controller.enqueue(bytes[next++]);
      else controller.close();
    },
  });
  return {
    request: new Request("http://localhost/api/runs/r/samples", { method: "POST", body }),
    pulled: () => next,
  };
}

Deno.test("readSamples packs a body split mid-line across chunks as parseSamples packs the whole text", async () => {
  const text = '{"x":[0.5,-1],"y":[1]}\n\n{"x":[2,3e-3],"y":[0]}\n{"x":[1,1],"y":[1]}';
  const { request } = chunked([
    '{"x":[0.5,',
    '-1],"y":[1]}\n\n{"x":[2,3e-',
    '3],"y":[0]}\n{"x":[1',
    ',1],"y":[1]}',
  ]);
  const read = await readSamples(request, WIDTHS, { maxBytes: 1_000 });
  assert.deepEqual(read, parseSamples(text, WIDTHS));
  assert.equal(read.rows, 3);
});

Deno.test("readSamples names the line of a bad sample in a later chunk, by its number in the whole body", async () => {
  const { request } = chunked([
    '{"x":[0,1],"y":[1]}\n{"x":[0,1],',
    '"y":[1]}\n{"x":[0,"1"],"y":[1]}\n',
  ]);
  await assert.rejects(readSamples(request, WIDTHS, { maxBytes: 1_000 }), (e: ApiError) => {
    assert.equal(e.status, 400);
    assert.match(e.message, /^Line 3: x\.1: must be a number/);
    return true;
  });
});

Deno.test("readSamples stops reading at maxBytes with a 413 that says the limit and to split the samples", async () => {
  const line = '{"x":[0,1],"y":[1]}\n';
  const { request, pulled } = chunked(Array.from({ length: 100 }, () => line));
  await assert.rejects(
    readSamples(request, WIDTHS, { maxBytes: 5 * line.length }),
    (e: ApiError) => {
      assert.equal(e.status, 413);
      assert.match(
        e.message,
        /^The samples body is over 100 bytes: split the samples into several POSTs/,
      );
      return true;
    },
  );
  assert.ok(pulled() < 10, `${pulled()} chunks read`);
});
