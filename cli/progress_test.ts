import assert from "node:assert/strict";
import type { BatchEvent } from "../core/train/train_events.ts";
import { createProgress } from "./progress.ts";

function fakeTty() {
  let text = "";
  const stream = {
    isTTY: true,
    columns: 160,
    write(chunk: string) {
      text += chunk;
      return true;
    },
    on() {
      return stream;
    },
    removeListener() {
      return stream;
    },
  };
  return { stream: stream as unknown as NodeJS.WritableStream, text: () => text };
}

const batch = (epoch: number, n: number): BatchEvent => ({
  type: "batch",
  epoch,
  batch: n,
  step: n,
  loss: 0.5,
  samples: n * 64,
  samplesPerEpoch: 640,
  lr: 0.001,
});

Deno.test("the progress bar shows the epoch, samples/s, ETA and loss", () => {
  let now = 0;
  const tty = fakeTty();
  const progress = createProgress({ stream: tty.stream, epochs: 3, now: () => now });
  for (let n = 1; n <= 5; n++) now += 100, progress.batch(batch(1, n));
  progress.clear();
  assert.match(
    tty.text(),
    /epoch 1\/3 \[.*\] \d+% \| \d+\/640 \| [\d,]+ samples\/s \| ETA .* \| loss 0\.5000/,
  );
});

Deno.test("a disabled progress bar writes nothing", () => {
  const tty = fakeTty();
  const progress = createProgress({ stream: tty.stream, disabled: true });
  progress.batch(batch(1, 1));
  progress.clear();
  assert.equal(tty.text(), "");
});
