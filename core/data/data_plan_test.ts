import assert from "node:assert/strict";
import { inMemory } from "./in_memory.ts";
import { createRng } from "../math/rng.ts";
import { openPass, planData } from "./data_plan.ts";

Deno.test("a pass whose one batch holds every row is not shuffled; smaller batches are", async () => {
  const source = inMemory({
    x: Float32Array.from({ length: 16 }, (_, i) => i),
    y: new Float32Array(16),
    inputs: 1,
    outputs: 1,
  });
  const signal = new AbortController().signal;
  for (const [batchSize, shuffled] of [[16, false], [64, false], [8, true]] as const) {
    const plan = await planData(source, batchSize, signal, "training");
    const rng = createRng(7), before = rng.state();
    const pass = openPass(plan, batchSize, signal, { rng, buffer: 0 });
    const rows = pass.fill() as number;
    assert.equal(rows, Math.min(batchSize, 16));
    const seen = Array.from(plan.buffer.x.data.subarray(0, rows));
    const inOrder = seen.every((v, i) => v === i);
    assert.equal(!inOrder, shuffled, `batch ${batchSize}: ${seen}`);
    assert.equal(rng.state().join() !== before.join(), shuffled); // no draw when not shuffled
  }
});
