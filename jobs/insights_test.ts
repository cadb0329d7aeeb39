import assert from "node:assert/strict";
import { createNetwork } from "../core/math/network.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { builtinActivations } from "../plugins/activations/mod.ts";
import {
  classOf,
  computeInsights,
  confusionMatrix,
  histogram,
  pixelsBase64,
  unitFractions,
} from "./insights.ts";

const registry = createRegistry(builtinActivations());

/** 2 inputs, a ReLU layer whose second unit is -x0 - 10 (dead), then identity outputs relu(x0) and 0.5. */
function handNetwork() {
  const net = createNetwork(
    { inputs: 2, layers: [{ units: 2, activation: "relu" }, { units: 2 }] },
    { registry },
  );
  net.layers[0].weights.set([1, -1, 0, 0]), net.layers[0].bias.set([0, -10]);
  net.layers[1].weights.set([1, 0, 0, 1]), net.layers[1].bias.set([0, 0.5]);
  return net;
}

const fourRows = {
  x: new Float32Array([0, 0, 1, 0, 2, 0, 0, 0]),
  y: new Float32Array([0, 1, 1, 0, 0, 1, 1, 0]),
  inputs: 2,
  outputs: 2,
  rows: 4,
};

Deno.test("histogram counts values into equal bins between the smallest and largest", () => {
  assert.deepEqual(histogram([0, 1, 2, 3], 2), { min: 0, max: 3, counts: [2, 2] });
  assert.deepEqual(histogram([5, 5, NaN], 3), { min: 5, max: 5, counts: [2, 0, 0] });
  assert.deepEqual(histogram([], 2), { min: 0, max: 0, counts: [0, 0] });
  assert.throws(() => histogram([1], 0), RangeError);
});

Deno.test("the class of a row is its largest column, or one column thresholded at 0.5", () => {
  assert.equal(classOf([0.1, 0.7, 0.2, 0.9, 0, 0], 1, 3), 0);
  assert.equal(classOf([0.2, 0.5], 1, 1), 1);
  assert.deepEqual(confusionMatrix([0.9, 0.2, 0.8], [1, 0, 0], 3, 1), [[1, 1], [0, 1]]);
});

Deno.test("a ReLU unit is dead only when it outputs 0 for every sample; tanh and sigmoid saturate", () => {
  const y = (data: number[]) => ({ data: new Float32Array(data), rows: 2, cols: 2 });
  assert.deepEqual(unitFractions(y([0, 1, 0, 0]), "relu"), { dead: 0.5 });
  assert.deepEqual(unitFractions(y([-0.995, 0.5, 0.999, 0.995]), "tanh"), { saturated: 0.5 });
  assert.deepEqual(unitFractions(y([0.001, 0.5, 0.999, 0.995]), "sigmoid"), { saturated: 0.5 });
  assert.deepEqual(unitFractions(y([0, 0, 0, 0]), "identity"), {});
});

Deno.test("pixels are stretched to 0..255 and base64-encoded", () => {
  assert.equal(pixelsBase64([0, 0.5, 1], 0, 3), "AID/");
  assert.deepEqual([...atob(pixelsBase64([9, 9, -1, 1], 1, 2))].map((c) => c.charCodeAt(0)), [
    0,
    255,
  ]);
});

Deno.test("insights of a hand-built network match the hand-computed matrix, histogram and dead units", () => {
  const insights = computeInsights(handNetwork(), fourRows, {
    classifier: true,
    bins: 2,
    maxSamples: 3,
  });
  // outputs (relu(x0), 0.5): predicted 1, 0, 0, 1 against true 1, 0, 1, 0, over all 4 rows
  assert.deepEqual(insights.confusion, { classes: 2, counts: [[1, 1], [1, 1]] });
  assert.equal(insights.samples, 3);
  assert.equal(insights.images, undefined);
  // layer 1 z over 3 samples: 0, -10, 1, -11, 2, -12
  assert.deepEqual(insights.layers[0], {
    layer: 1,
    activation: "relu",
    units: 2,
    histogram: { min: -12, max: 2, counts: [3, 3] },
    dead: 0.5,
  });
  assert.equal(insights.layers[1].dead, undefined);
  assert.equal(
    computeInsights(handNetwork(), fourRows, { classifier: false }).confusion,
    undefined,
  );
});

Deno.test("28x28 inputs keep up to 16 misclassified images with their true and predicted class", () => {
  const net = createNetwork({ inputs: 784, layers: [{ units: 2, init: "zeros" }] }, { registry });
  net.layers[0].bias.set([0, 1]); // always class 1
  const rows = 20;
  const y = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) y[r * 2] = 1; // all class 0
  const x = new Float32Array(rows * 784).map((_, i) => i % 784);
  const insights = computeInsights(net, { x, y, inputs: 784, outputs: 2, rows }, {
    classifier: true,
  });
  assert.deepEqual(insights.confusion?.counts, [[0, 20], [0, 0]]);
  assert.equal(insights.images?.misclassified.length, 16);
  const first = insights.images!.misclassified[0];
  assert.equal(first.label, 0), assert.equal(first.predicted, 1);
  assert.equal(atob(first.pixels).length, 784);
});

Deno.test("the confusion matrix counts every row of a set larger than one block of forward passes", () => {
  // Identity weights: each row's class is the column of its largest input.
  const net = createNetwork({ inputs: 3, layers: [{ units: 3, init: "zeros" }] }, { registry });
  net.layers[0].weights.set([1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const rows = 5_000, x = new Float32Array(rows * 3), y = new Float32Array(rows * 3);
  const expected = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (let r = 0; r < rows; r++) {
    const label = r % 3, predicted = Math.floor(r / 3) % 3;
    x[r * 3 + predicted] = 1 + (r % 5), y[r * 3 + label] = 1;
    expected[label][predicted]++;
  }
  const insights = computeInsights(net, { x, y, inputs: 3, outputs: 3, rows }, {
    classifier: true,
  });
  assert.deepEqual(insights.confusion?.counts, expected);
  assert.equal(insights.samples, 512);
});
