import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { fakeMse } from "../_testing/fakes.ts";
import { blobs, fakeMomentum, net, weightBytes } from "../_testing/train_fakes.ts";
import { fromArrays } from "./from_arrays.ts";
import { oneHot } from "./one_hot.ts";
import { standardize, type StandardizeState } from "./standardize.ts";
import { foldStandardize, standardizeState } from "./fold_standardize.ts";
import { predict } from "../math/predict.ts";
import type { Network } from "../math/network.ts";
import { train } from "../train/train.ts";
import type { StartEvent } from "../train/train_events.ts";
import type { Mat } from "../math/types.ts";

const spec = {
  inputs: 3,
  layers: [{ units: 5, activation: "tanh" }, { units: 2, activation: "sigmoid" }],
};

/** Raw rows on very different scales, like the columns of a CSV file. */
function rawRows(n: number): number[][] {
  const { x } = blobs(n, 7);
  return x.map(([a, b], i) => [1000 + 1000 * a, 50 + 10 * b, 0.01 * (i % 7)]);
}

const toMat = (rows: number[][]): Mat => ({
  data: Float32Array.from(rows.flat()),
  rows: rows.length,
  cols: rows[0].length,
});

/** `network`'s outputs on rows standardized the way the trainer does it. */
function predictStandardized(
  network: Network,
  rows: number[][],
  state: StandardizeState,
): Float32Array {
  const widths = { inputs: rows[0].length, outputs: 1 };
  const x = toMat(rows);
  const t = { data: new Float32Array(rows.length), rows: rows.length, cols: 1 };
  standardize().create(widths, rows.length, state).apply({ x, t });
  return predict(network, x).data as Float32Array;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol,
      `output ${i}: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

Deno.test("foldStandardize on raw rows predicts what the network predicts on standardized rows", () => {
  const rows = rawRows(64);
  const fit = standardize().fit!({ inputs: 3, outputs: 1 });
  fit.add({ x: toMat(rows), t: { data: new Float32Array(64), rows: 64, cols: 1 } });
  const state = fit.result() as StandardizeState;
  const network = net(spec, 4);
  const before = weightBytes(network);
  const folded = foldStandardize(network, state);
  assertClose(predict(folded, toMat(rows)).data, predictStandardized(network, rows, state), 1e-5);
  assert.equal(weightBytes(network), before, "the original network is unchanged");
  assert.notEqual(folded.layers[1].weights, network.layers[1].weights, "later layers are copies");
  assert.deepEqual(folded.layers[1].weights, network.layers[1].weights);
});

Deno.test("foldStandardize counts a std of 0 as 1, like standardize", () => {
  const network = net({ inputs: 2, layers: [{ units: 2 }] }, 2);
  const folded = foldStandardize(network, { mean: [3, 5], std: [2, 0] });
  const w = network.layers[0].weights, fw = folded.layers[0].weights;
  assert.deepEqual([...fw], [w[0] / 2, w[1] / 2, w[2], w[3]]);
  const b = network.layers[0].bias, fb = folded.layers[0].bias;
  assertClose(fb, [b[0] - 1.5 * w[0] - 5 * w[2], b[1] - 1.5 * w[1] - 5 * w[3]], 1e-6);
  assert.throws(() => foldStandardize(network, { mean: [0], std: [1] }), {
    name: "TypeError",
    message: /need mean and std for 2 inputs, got 1 and 1/,
  });
  assert.throws(() => foldStandardize(network, { mean: [0, 0], std: [1, -1] }), {
    name: "RangeError",
    message: "Invalid standardization std[1]: -1 must be a finite number of 0 or more",
  });
});

Deno.test("a model trained with standardize, folded with its start event's state, takes raw rows", async () => {
  const rows = rawRows(80);
  const labels = rows.map(([a, b]) => (a / 1000 + (b - 50) / 10 > 2 ? 1 : 0));
  const network = net(spec, 1);
  const events = await lastValueFrom(
    train({
      network,
      loss: fakeMse,
      optimizer: fakeMomentum(0.05),
      data: fromArrays(rows, labels),
      prepare: [standardize(), oneHot(2)],
      epochs: 3,
      batchSize: 16,
    }).pipe(toArray()),
  );
  const start = events[0] as StartEvent;
  const state = standardizeState(start.prepared);
  assert.ok(state, "the start event holds the standardize state");
  assert.equal(start.prepared?.[1], null, "oneHot learns nothing");
  const folded = foldStandardize(network, state);
  assertClose(predict(folded, toMat(rows)).data, predictStandardized(network, rows, state), 1e-5);
});

Deno.test("standardizeState finds the one standardize state or explains the problem", () => {
  assert.equal(standardizeState(undefined), undefined);
  assert.equal(standardizeState([null]), undefined);
  assert.deepEqual(standardizeState([null, { mean: [1], std: [2] }]), { mean: [1], std: [2] });
  assert.throws(() => standardizeState({ mean: [1], std: [2] }), {
    name: "TypeError",
    message: /expected a list with one entry per prepare step/,
  });
  const two = [{ mean: [1], std: [2] }, { mean: [0], std: [1] }];
  assert.throws(() => standardizeState(two), { message: /2 steps standardized the inputs/ });
});
