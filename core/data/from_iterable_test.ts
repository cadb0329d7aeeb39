import assert from "node:assert/strict";
import type { Sample, StreamSource } from "./data_source.ts";
import { fromIterable } from "./from_iterable.ts";

async function read(source: StreamSource): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of source.open(new AbortController().signal)) out.push(s);
  return out;
}

Deno.test("fromIterable reads an array again on every pass", async () => {
  const source = fromIterable([{ x: [1], y: 2 }, { x: [3], y: 4 }]);
  assert.equal((await read(source)).length, 2);
  assert.equal((await read(source)).length, 2);
});

Deno.test("fromIterable starts a new sync or async generator on every pass", async () => {
  function* sync() {
    yield { x: [1], y: [1] };
  }
  async function* later() {
    yield { x: [2], y: [2] };
  }
  assert.deepEqual(await read(fromIterable(() => sync())), [{ x: [1], y: [1] }]);
  const source = fromIterable(() => later());
  assert.deepEqual(await read(source), await read(source));
});

Deno.test("fromIterable refuses a generator object, which can be read only once", () => {
  function* once() {
    yield { x: [1], y: 1 };
  }
  assert.throws(() => fromIterable(once()), {
    name: "TypeError",
    message: /pass a function that starts a new one/,
  });
});
