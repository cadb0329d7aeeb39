import assert from "node:assert/strict";
import type { Sample } from "./data_source.ts";
import { fromStream } from "./from_stream.ts";

Deno.test("fromStream reads a new ReadableStream of samples on every pass", async () => {
  let opened = 0;
  const source = fromStream(() => {
    opened++;
    return new ReadableStream<Sample>({
      start(c) {
        c.enqueue({ x: [1, 2], y: [3] });
        c.close();
      },
    });
  });
  for (let pass = 0; pass < 2; pass++) {
    const out: Sample[] = [];
    for await (const s of source.open(new AbortController().signal)) out.push(s);
    assert.deepEqual(out, [{ x: [1, 2], y: [3] }]);
  }
  assert.equal(opened, 2);
});

Deno.test("fromStream cancels the stream when the signal aborts during a read", async () => {
  let cancelled = false;
  const source = fromStream(() =>
    new ReadableStream<Sample>({
      pull: () => new Promise(() => {}),
      cancel: () => void (cancelled = true),
    })
  );
  const controller = new AbortController();
  const it = (source.open(controller.signal) as AsyncIterable<Sample>)[Symbol.asyncIterator]();
  const pending = it.next();
  controller.abort();
  assert.deepEqual(await pending, { value: undefined, done: true });
  assert.ok(cancelled);
});
