import assert from "node:assert/strict";
import { defaultRunConfig, parseRunConfig, resolveRunConfig } from "./run_config.ts";

function issues(input: unknown): string[] {
  const r = resolveRunConfig(input);
  assert.equal(r.ok, false, "expected the config to be rejected");
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

Deno.test("the empty run config is the default job", () => {
  assert.deepEqual(defaultRunConfig(), {
    dataset: "mnist",
    layers: [
      { units: 128, activation: "relu" },
      { units: 64, activation: "relu" },
      { units: 10, activation: "softmax" },
    ],
    loss: "crossEntropy",
    optimizer: { name: "adam" },
    lr: 0.001,
    epochs: 10,
    batchSize: 64,
    validationSplit: 0.1,
    seed: 42,
    l2: 0,
    out: "model.json",
  });
});

Deno.test("an unknown key is an error naming its path and the known keys", () => {
  assert.deepEqual(issues({ optimizer: { name: "adam", lr: 0.1 } }), [
    "optimizer.lr: unknown field: remove it or use one of name, params",
  ]);
  assert.match(issues({ epoch: 3 })[0], /^epoch: unknown field: .*epochs/);
  assert.deepEqual(issues({ layers: [{ units: 3, act: "relu" }] }), [
    "layers.0.act: unknown field: remove it or use one of units, activation, init",
  ]);
  assert.match(
    issues({ dataset: { csv: "a.csv", target: "y", sep: ";" } })[0],
    /^dataset\.sep: unknown field/,
  );
});

Deno.test("a wrong type or value is an error naming its path", () => {
  assert.deepEqual(issues({ lr: -1 }), ["lr: must be a positive number"]);
  assert.deepEqual(issues({ epochs: "3" }), ["epochs: must be a number"]);
  assert.deepEqual(issues({ batchSize: 1.5 }), ["batchSize: must be a whole number"]);
  assert.deepEqual(issues({ layers: [{ units: 0 }] }), [
    "layers.0.units: must be at least 1: a layer needs at least one neuron",
  ]);
  assert.deepEqual(issues({ validationSplit: 1 }), [
    "validationSplit: must be below 1: it is the fraction of samples held out",
  ]);
  assert.deepEqual(issues({ dataset: { csv: "a.csv" } }), ["dataset.target: is required"]);
  assert.match(issues({ dataset: "cifar" })[0], /^dataset: must be one of mnist, iris, xor, sine/);
  assert.deepEqual(issues({ schedule: { name: "stepDecay", every: 0, gamma: 0.5 } }), [
    "schedule.every: must be at least 1",
  ]);
  assert.match(
    issues({ schedule: { name: "warmup" } })[0],
    /^schedule\.name: must name a schedule/,
  );
  assert.deepEqual(issues({ earlyStopping: { patience: 2, monitor: "acc" } }), [
    'earlyStopping.monitor: must be "valLoss" or "loss"',
  ]);
  assert.deepEqual(issues({ warmupSteps: 0.5 }), [
    "warmupSteps: must be a whole number of steps, e.g. 100",
  ]);
  assert.deepEqual(issues([]), [": must be a JSON object of run settings"]);
});

Deno.test("an ndjson data set needs its layers; a csv one may leave its model to the target", () => {
  assert.match(issues({ dataset: { ndjson: "a.ndjson" } })[0], /^layers: is required/);
  const csv = parseRunConfig({ dataset: { csv: "a.csv", target: "y" } });
  assert.equal(csv.layers, undefined);
  assert.equal(csv.loss, undefined);
  assert.equal(csv.earlyStopping?.patience, 20); // tables train until validation stalls
  assert.match(
    issues({ dataset: { csv: "a.csv", target: "y" }, loss: "mse" })[0],
    /^loss: is given without layers/,
  );
  assert.match(
    issues({ dataset: "iris", columns: { a: "number" } })[0],
    /^columns: is for a csv dataset only/,
  );
  const given = parseRunConfig({
    dataset: { csv: "a.csv", target: "y" },
    layers: [{ units: 3, activation: "softmax" }],
  });
  assert.equal(given.loss, "crossEntropy"); // from the output activation
});

Deno.test("a built-in data set brings its preset; given fields win", () => {
  const xor = parseRunConfig({ dataset: "xor", epochs: 7, optimizer: "sgd" });
  assert.equal(xor.loss, "binaryCrossEntropy");
  assert.equal(xor.layers?.at(-1)?.units, 1);
  assert.equal(xor.epochs, 7);
  assert.deepEqual(xor.optimizer, { name: "sgd" });
});

Deno.test("parseRunConfig throws a TypeError listing every issue", () => {
  assert.throws(
    () => parseRunConfig({ lr: 0, epochs: 0 }),
    {
      name: "TypeError",
      message: "Invalid run config: lr: must be a positive number; epochs: must be at least 1",
    },
  );
});

Deno.test("the learning rate is the run config's lr, never the optimizer's params", () => {
  assert.deepEqual(issues({ optimizer: { name: "adam", params: { lr: 0.5 } } }), [
    "optimizer.params.lr: is the run's learning rate: set it with the run config's lr (--lr)",
  ]);
});
