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

for (const widths of [[784, 128, 64, 10], [10, 16, 4096, 10], [3, 2]]) {
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
    assert.ok(tail.some((c) => c.first === "bias"), "the first layer's bias is in the tail");
    // Ranged first-layer blocks are whole; a short last block goes to the tail.
    const rowsOf = (c: Chunk) => typeof c.first === "object" ? c.first[1] - c.first[0] : 0;
    const per = Math.max(...chunks.list.map(rowsOf));
    chunks.list.slice(0, chunks.ranged).forEach((c) => {
      if (typeof c.first === "object") assert.equal(rowsOf(c), per);
    });
    startClaims(layout, chunks);
    assert.deepEqual(
      [layout.control[claimAt(0)], layout.control[claimAt(1)], layout.control[TAIL]],
      [0, Math.floor(chunks.ranged / 2), chunks.ranged],
    );
  });
}

Deno.test("runs of a wide later layer beyond the tail's room stay in the threads' ranges", () => {
  const chunks = chunksOf(layoutFor([10, 16, 4096, 10]));
  assert.ok(chunks.list.slice(0, chunks.ranged).some((c) => c.first === undefined));
});
