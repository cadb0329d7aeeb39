import assert from "node:assert/strict";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { blobs, net, weightBytes } from "../_testing/train_fakes.ts";
import type { Sample } from "../data/data_source.ts";
import { fromArrays } from "../data/from_arrays.ts";
import { fromCsv } from "../data/from_csv.ts";
import { fromStream } from "../data/from_stream.ts";
import { train } from "./train.ts";
import type { OptimizerPlugin } from "../math/types.ts";

// Deno.test's sanitizers fail these tests if a timer, an op or a file is left behind.
const counting = (): OptimizerPlugin & { steps: number } => {
  const plugin = {
    ...fakeSgd(0.01),
    steps: 0,
    update(p: Float32Array | Float64Array, g: Float32Array | Float64Array) {
      plugin.steps += 0.5; // two tensors (weights, bias) per layer, one layer
      for (let i = 0; i < p.length; i++) p[i] -= 0.01 * g[i];
    },
  };
  return plugin;
};
const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
/**
 * Gives the event loop turns until `check()` holds: what the tests wait for is
 * an event, not a time, so a busy machine only makes them wait longer. The
 * deadline guards against a hang.
 */
async function until(check: () => boolean, what: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; !check();) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await tick();
  }
}
const { x, y } = blobs(400);

Deno.test("unsubscribing mid-epoch stops before the next step and keeps the last completed step", async () => {
  const network = net({ inputs: 2, layers: [{ units: 1 }] });
  const optimizer = counting();
  let batches = 0, atStop = "", stopped = false;
  const sub = train({
    network,
    loss: fakeMse,
    optimizer,
    data: fromArrays(x, y),
    epochs: 5,
    batchSize: 10,
  })
    .subscribe((e) => {
      if (e.type !== "batch") return;
      batches++;
      if (e.batch === 7) {
        sub.unsubscribe();
        atStop = weightBytes(network), stopped = true;
      }
    });
  await until(() => stopped, "the 7th batch");
  await tick(20); // a run that went on would take its next steps meanwhile
  assert.equal(batches, 7);
  assert.equal(optimizer.steps, 7);
  assert.equal(weightBytes(network), atStop);
});

Deno.test("unsubscribing while training waits for its turn on the event loop leaves no timer", async () => {
  const optimizer = counting();
  const sub = train({
    network: net({ inputs: 2, layers: [{ units: 1 }] }),
    loss: fakeMse,
    optimizer,
    data: fromArrays(x, y),
    epochs: 1_000_000,
    batchSize: 10,
    yieldEveryMs: 0,
  }).subscribe();
  // Every step is followed by a turn, so this timer's turn comes while training waits for its own.
  await until(() => optimizer.steps >= 3, "training to take a few steps");
  sub.unsubscribe();
  const steps = optimizer.steps;
  await tick(5);
  assert.equal(optimizer.steps, steps);
});

Deno.test("unsubscribing while a stream read is pending cancels the stream", async () => {
  let cancelled = false, served = 0;
  const source = fromStream(() =>
    new ReadableStream<Sample>({
      pull: (c) => served < 10 ? void c.enqueue({ x: x[served++], y: [1] }) : new Promise(() => {}),
      cancel: () => void (cancelled = true),
    })
  );
  let batches = 0;
  const sub = train({
    network: net({ inputs: 2, layers: [{ units: 1 }] }),
    loss: fakeMse,
    optimizer: fakeSgd(0.1),
    data: source,
    epochs: 1,
    batchSize: 4,
    shuffle: false, // a shuffle buffer would wait for 10,000 samples first
  }).subscribe((e) => void (e.type === "batch" && batches++));
  await until(() => batches > 0, "the first batch");
  await tick(10); // a second batch would need the sample that never comes
  assert.equal(batches, 1, "the second batch waits for its read-ahead sample");
  sub.unsubscribe();
  await tick();
  assert.ok(cancelled);
});

Deno.test("unsubscribing from training on a CSV file closes the file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, "a,b,y\n" + "0.1,0.2,1\n0.3,0.4,0\n".repeat(50_000));
    const files: Deno.FsFile[] = [];
    const data = fromCsv(() => {
      const file = Deno.openSync(path);
      files.push(file);
      return file.readable;
    }, { target: "y" });
    const network = net({ inputs: 2, layers: [{ units: 1 }] });
    await new Promise<void>((resolve, reject) => {
      const sub = train({
        network,
        loss: fakeMse,
        optimizer: fakeSgd(0.1),
        data,
        epochs: 3,
        batchSize: 32,
      })
        .subscribe({
          next: (e) =>
            void (e.type === "batch" && e.batch === 50 && (sub.unsubscribe(), resolve())),
          error: reject,
        });
    });
    const closed = (file: Deno.FsFile) => {
      try {
        return file.statSync(), false;
      } catch (error) {
        if (error instanceof Deno.errors.BadResource) return true;
        throw error;
      }
    };
    await until(() => files.every(closed), "the file to close");
  } finally {
    await Deno.remove(path);
  }
});
