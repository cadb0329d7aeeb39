import assert from "node:assert/strict";
import { allocateShared, claimAt, layoutOf, TAIL } from "./_layout.ts";
import { type Chunk, chunksOf, startClaims, TAIL_FLOATS } from "./_update_share.ts";

/** A two-thread layout of a dense network of these widths (inputs first). */
function layoutFor(widths: number[]) {
  const tensors: number[] = [];
  for (let i = 1; i < widths.length; i++) tensors.push(widths[i - 1] * widths[i], widths[i]);
  const sizes = {
    tensors,
    slots: 2,
    threads: 2,
    batchSize: 8,
    inputs: widths[0],
    outputs: widths.at(-1)!,
  };
  return layoutOf(sizes, allocateShared(sizes));
}

const floats = (chunk: { pieces: readonly { param: Float32Array }[] }) =>
  chunk.pieces.reduce((n, p) => n + p.param.length, 0);

for (
  const widths of [[784, 128, 64, 10], [10, 16, 4096, 10], [3, 2], [784, 1024, 10], [
    64,
    1024,
    1024,
    10,
  ]]
) {
  Deno.test(`the update's chunks of ${widths.join("-")} cover every weight once, the small ones last`, () => {
    const layout = layoutFor(widths), chunks = chunksOf(layout);
    for (const p of layout.params) p.fill(0);
    for (const chunk of chunks.list) {
      for (const piece of chunk.pieces) {
        piece.param.forEach((_, k, a) => a[k]++);
      }
    }
    layout.params.forEach((p, i) => assert.ok(p.every((v) => v === 1), `tensor ${i} covered once`));
    const tail = chunks.list.slice(chunks.ranged);
    assert.ok(tail.reduce((n, c) => n + floats(c), 0) <= TAIL_FLOATS, "the tail stays small");
    startClaims(layout, chunks);
    assert.deepEqual(
      [layout.control[claimAt(0)], layout.control[claimAt(1)], layout.control[TAIL]],
      [0, Math.floor(chunks.ranged / 2), chunks.ranged],
    );
  });
}

Deno.test("784-128-64-10: eight whole first-layer blocks ranged; the short one, the bias and the rest in the tail", () => {
  const chunks = chunksOf(layoutFor([784, 128, 64, 10]));
  const rows = (c: Chunk) => typeof c.first === "object" ? c.first[1] - c.first[0] : 0;
  assert.equal(chunks.ranged, 8);
  assert.ok(chunks.list.slice(0, 8).every((c) => rows(c) === 96));
  assert.deepEqual(chunks.list.slice(8).map((c) => c.first ?? floats(c)), [
    [768, 784],
    "bias",
    4096,
    4096,
    714,
  ]);
});

Deno.test("a first layer too big for the tail stays ranged, even as one short block", () => {
  const chunks = chunksOf(layoutFor([64, 1024, 1024, 10]));
  assert.ok(chunks.list.slice(0, chunks.ranged).some((c) => typeof c.first === "object"));
  assert.ok(chunks.list.slice(chunks.ranged).some((c) => c.first === "bias"));
});

Deno.test("runs of a wide later layer beyond the tail's room stay in the threads' ranges", () => {
  const chunks = chunksOf(layoutFor([10, 16, 4096, 10]));
  assert.ok(chunks.list.slice(0, chunks.ranged).some((c) => c.first === undefined));
});
