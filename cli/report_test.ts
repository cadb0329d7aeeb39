import assert from "node:assert/strict";
import type { TrainEvent } from "../core/train/train_events.ts";
import { createReporter, formatEpoch } from "./report.ts";

const epoch: TrainEvent = {
  type: "epoch",
  epoch: 3,
  epochs: 10,
  loss: 0.12345,
  valLoss: 0.2,
  accuracy: 0.9612,
  valAccuracy: 0.95,
  lr: 0.001,
  samplesPerSec: 41234.5,
  elapsedMs: 4500,
  layers: [],
};

Deno.test("formatEpoch shows every metric and the epoch's own time", () => {
  assert.equal(
    formatEpoch(epoch, 3000),
    "epoch  3/10  loss 0.1235  val_loss 0.2000  acc 96.12%  val_acc 95.00%  lr 0.001  41,235 samples/s  1.5s",
  );
});

Deno.test("JSON mode writes only JSON lines on out, and skips batch events", () => {
  const out: string[] = [], err: string[] = [];
  const r = createReporter({ json: true, out: (l) => out.push(l), err: (l) => err.push(l) });
  r.info("loading mnist");
  r.event({ type: "batch", epoch: 1, batch: 1, step: 1, loss: 1, samples: 64, lr: 0.001 });
  r.event(epoch);
  r.test({ samples: 10, loss: 0.1, accuracy: 0.9 });
  r.saved("model.json", 1000);
  assert.deepEqual(err, ["loading mnist"]);
  assert.deepEqual(out.map((l) => JSON.parse(l).type), ["epoch", "test", "saved"]);
});

Deno.test("text mode prints epoch lines unless quiet, and always the result", () => {
  const loud: string[] = [], quiet: string[] = [];
  for (const [lines, q] of [[loud, false], [quiet, true]] as const) {
    const r = createReporter({ quiet: q, out: (l) => lines.push(l), err: () => {} });
    r.event(epoch);
    r.test({ samples: 1996, loss: 0.1, accuracy: 0.9712 });
  }
  assert.equal(loud.length, 2);
  assert.deepEqual(quiet, ["test accuracy 97.12%, test loss 0.1000 (1,996 samples)"]);
});
