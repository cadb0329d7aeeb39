import assert from "node:assert/strict";
import { createEpochMeter, type EpochMeasure, MEASURE_MS } from "./_epoch_meter.ts";
import type { LayerStats } from "../math/layer_stats.ts";

/** Runs `count` epochs of `ms` each with `rows` samples on a fake clock; returns each epoch's figures. */
function epochs(count: number, ms: number, always = (_: number) => false) {
  let clock = 100;
  const meter = createEpochMeter(100, () => clock);
  const out: (EpochMeasure & { measured: boolean; norms: number })[] = [];
  let reads = 0;
  for (let epoch = 1; epoch <= count; epoch++) {
    const measured = meter.begin(always(epoch));
    clock += ms;
    const ended = meter.passEnded(10);
    const layers: LayerStats[] = [{ gradNorm: epoch, weightNorm: 1, updateRatio: 0 }];
    const m = meter.measure(epoch, ended, false, () => (reads++, layers));
    out.push({ ...m, measured, norms: reads });
  }
  return out;
}

Deno.test("epochs of 0.25 ms or more are each measured", () => {
  const out = epochs(20, 0.5);
  for (const [i, m] of out.entries()) {
    assert.equal(m.measured, true);
    assert.equal(m.measuredEpoch, undefined);
    assert.equal(m.samplesPerSec, 10 / 0.5 * 1000);
    assert.equal(m.elapsedMs, (i + 1) * 0.5);
    assert.equal(m.layers[0].gradNorm, i + 1);
  }
});

Deno.test("short epochs are measured together about every 0.25 ms; the ones between repeat the last", () => {
  const ms = 0.002, out = epochs(2000, ms);
  const measured = out.filter((m) => m.measured);
  // Strides double (1, 2, 4, ...) up to the 125 epochs that make 0.25 ms, capped at 128.
  assert.ok(measured.length < 40, `${measured.length} measured`);
  assert.equal(out.at(-1)!.norms, measured.length); // norms are read only when measured
  let last = 0;
  for (const [i, m] of out.entries()) {
    const epoch = i + 1;
    if (m.measured) {
      assert.equal(m.measuredEpoch, undefined);
      assert.equal(m.layers[0].gradNorm, epoch);
      assert.ok(Math.abs(m.elapsedMs - epoch * ms) < 1e-9);
      // Throughput over the window since the last measurement: 10 samples per 2 µs.
      assert.ok(Math.abs(m.samplesPerSec - 5e6) < 1, `${m.samplesPerSec}`);
      last = epoch;
    } else {
      assert.equal(m.measuredEpoch, last);
      assert.equal(m.layers[0].gradNorm, last);
    }
  }
  const gaps = measured.slice(1).map((m, i) => m.elapsedMs - measured[i].elapsedMs);
  assert.ok(Math.max(...gaps) <= MEASURE_MS + 1e-9 && gaps.at(-1)! >= MEASURE_MS / 2, `${gaps}`);
});

Deno.test("an epoch that must be measured is, and a pause restarts the strides", () => {
  const out = epochs(300, 0.002, (epoch) => epoch === 300);
  assert.equal(out.at(-1)!.measured, true);
  assert.equal(out.at(-1)!.measuredEpoch, undefined);
  let clock = 0;
  const meter = createEpochMeter(0, () => clock);
  for (let epoch = 1; epoch <= 50; epoch++) {
    assert.equal(meter.begin(false), true, `epoch ${epoch}`);
    clock += 0.001;
    const ended = meter.passEnded(1);
    clock += 5; // validation
    meter.measure(epoch, ended, true, () => []);
  }
});
