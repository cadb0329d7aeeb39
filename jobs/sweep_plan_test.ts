import assert from "node:assert/strict";
import { parseSweepConfig } from "./sweep_config.ts";
import { gridPoints, planSweep, randomPoints, trialSeeds } from "./sweep_plan.ts";

const random = {
  method: "random",
  metric: { name: "val_accuracy", goal: "maximize" },
  parameters: {
    "layers.0.activation": { values: ["sigmoid", "relu"] },
    lr: { distribution: "log_uniform_values", min: 0.001, max: 0.1 },
    batchSize: { distribution: "int_uniform", min: 4, max: 6 },
    l2: { distribution: "uniform", min: 0, max: 0.01 },
  },
  run_cap: 40,
  seed: 7,
  run: { dataset: "iris", epochs: 9 },
};

Deno.test("the same sweep file gives the same trials, and another seed other ones", () => {
  const a = planSweep(parseSweepConfig(random));
  const b = planSweep(parseSweepConfig(structuredClone(random)));
  assert.deepEqual(a, b);
  const c = planSweep(parseSweepConfig({ ...random, seed: 8 }));
  assert.notDeepEqual(a.map((t) => t.params), c.map((t) => t.params));
  assert.notDeepEqual(a.map((t) => t.seed), c.map((t) => t.seed));
});

Deno.test("random trials draw every parameter within its range and run_cap trials in all", () => {
  const trials = planSweep(parseSweepConfig(random));
  assert.equal(trials.length, 40);
  for (const { params, config } of trials) {
    assert.ok(["sigmoid", "relu"].includes(params["layers.0.activation"] as string));
    assert.equal(config.layers![0].activation, params["layers.0.activation"]);
    assert.ok(config.lr >= 0.001 && config.lr <= 0.1 && config.lr === params.lr);
    assert.ok([4, 5, 6].includes(config.batchSize));
    assert.ok(config.l2 >= 0 && config.l2 < 0.01);
    assert.equal(config.epochs, 9);
  }
  const batches = new Set(trials.map((t) => t.config.batchSize));
  assert.deepEqual([...batches].sort(), [4, 5, 6], "int_uniform reaches both ends");
  const activations = new Set(trials.map((t) => t.params["layers.0.activation"]));
  assert.equal(activations.size, 2);
});

Deno.test("log_uniform_values spreads draws evenly over the decades", () => {
  const points = randomPoints(
    { lr: { distribution: "log_uniform_values", min: 1e-4, max: 1 } },
    4000,
    3,
  );
  const perDecade = [0, 0, 0, 0];
  for (const { lr } of points) perDecade[Math.min(3, Math.floor(-Math.log10(lr as number)))]++;
  for (const n of perDecade) {
    assert.ok(n > 850 && n < 1150, `about 1000 a decade, got ${perDecade}`);
  }
});

Deno.test("each trial gets its own seed derived from the sweep's, set in its run config", () => {
  const trials = planSweep(parseSweepConfig(random));
  assert.deepEqual(trials.map((t) => t.seed), trialSeeds(7, 40));
  assert.deepEqual(trials.map((t) => t.config.seed), trialSeeds(7, 40));
  assert.equal(new Set(trials.map((t) => t.seed)).size, 40);
  for (const seed of trialSeeds(7, 40)) {
    assert.ok(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 31);
  }
});

Deno.test("a swept seed wins over the derived one", () => {
  const trials = planSweep(parseSweepConfig({
    ...random,
    method: "grid",
    parameters: { seed: { values: [1, 2] } },
  }));
  assert.deepEqual(trials.map((t) => t.config.seed), [1, 2]);
});

Deno.test("a grid is the cartesian product in file order, the last parameter fastest, capped by run_cap", () => {
  const parameters = {
    lr: { values: [0.1, 0.01] },
    optimizer: { value: "sgd" },
    batchSize: { values: [4, 8, 16] },
  };
  assert.deepEqual(gridPoints(parameters, 100).map((p) => [p.lr, p.optimizer, p.batchSize]), [
    [0.1, "sgd", 4],
    [0.1, "sgd", 8],
    [0.1, "sgd", 16],
    [0.01, "sgd", 4],
    [0.01, "sgd", 8],
    [0.01, "sgd", 16],
  ]);
  const sweep = parseSweepConfig({ ...random, method: "grid", parameters, run_cap: 4 });
  const trials = planSweep(sweep);
  assert.deepEqual(trials.map((t) => t.config.batchSize), [4, 8, 16, 4]);
  assert.deepEqual(trials.map((t) => t.config.optimizer), Array(4).fill({ name: "sgd" }));
});

Deno.test("a combination of valid values that makes no valid run names the trial", () => {
  const sweep = parseSweepConfig({
    ...random,
    method: "grid",
    run_cap: undefined,
    parameters: {
      dataset: { values: ["iris"] },
      standardize: { values: [false] },
    },
    run: { dataset: { csv: "a.csv", target: "y" }, epochs: 9 },
  });
  assert.throws(() => planSweep(sweep), {
    name: "TypeError",
    message:
      'Invalid sweep file: trial 1 ({"dataset":"iris","standardize":false}) is no valid run: standardize: is for a csv dataset only',
  });
});

Deno.test("a grid past 1000 trials needs run_cap", () => {
  const values = Array.from({ length: 40 }, (_, i) => i + 1);
  const sweep = parseSweepConfig({
    ...random,
    method: "grid",
    run_cap: undefined,
    parameters: { batchSize: { values }, epochs: { values } },
  });
  assert.throws(() => planSweep(sweep), {
    name: "RangeError",
    message: /the grid has 1600 trials/,
  });
  assert.equal(planSweep({ ...sweep, run_cap: 5 }).length, 5);
});
