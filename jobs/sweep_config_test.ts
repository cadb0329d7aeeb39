import assert from "node:assert/strict";
import { parseSweepConfig, resolveSweepConfig, withField } from "./sweep_config.ts";
import { parseRunConfig } from "./run_config.ts";

const iris = {
  method: "random",
  metric: { name: "val_accuracy", goal: "maximize" },
  parameters: {
    "layers.0.activation": { values: ["sigmoid", "relu"] },
    lr: { distribution: "log_uniform_values", min: 0.001, max: 0.1 },
  },
  early_terminate: { type: "hyperband", min_iter: 3 },
  run_cap: 6,
  run: { dataset: "iris", epochs: 9 },
};

function issuesOf(input: unknown): string[] {
  const r = resolveSweepConfig(input);
  assert.equal(r.ok, false, "the sweep file is refused");
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
}

Deno.test("a sweep file maps W&B's snake_case metric names to the epoch event's keys", () => {
  const sweep = parseSweepConfig(iris);
  assert.equal(sweep.metric.name, "valAccuracy");
  assert.equal(
    parseSweepConfig({ ...iris, metric: { name: "val_loss", goal: "minimize" } })
      .metric.name,
    "valLoss",
  );
  assert.equal(
    parseSweepConfig({ ...iris, metric: { name: "loss", goal: "minimize" } })
      .metric.name,
    "loss",
  );
});

Deno.test("a sweep file fills in eta 3 and seed 42", () => {
  const sweep = parseSweepConfig(iris);
  assert.deepEqual(sweep.early_terminate, { type: "hyperband", min_iter: 3, eta: 3 });
  assert.equal(sweep.seed, 42);
});

Deno.test("an unknown metric name lists the known ones", () => {
  const [issue] = issuesOf({ ...iris, metric: { name: "f1", goal: "maximize" } });
  assert.match(issue, /^metric\.name: must be one of loss, val_loss, valLoss, accuracy/);
});

Deno.test("an unknown key of the sweep file is refused with the keys it knows", () => {
  const [issue] = issuesOf({ ...iris, program: "train.py" });
  assert.match(issue, /^program: unknown field: remove it or use one of name, description, method/);
});

Deno.test("a bad value of a parameter is an error naming the parameter and the run-config problem", () => {
  const issues = issuesOf({ ...iris, parameters: { batchSize: { values: [8, 0] } } });
  assert.deepEqual(issues, ["parameters.batchSize.values.1: batchSize: must be at least 1"]);
  const activation = issuesOf({ ...iris, parameters: { "layers.0.activation": { value: 3 } } });
  assert.match(activation[0], /^parameters\.layers\.0\.activation\.value: layers\.0\.activation: /);
});

Deno.test("a parameter path outside the run config is refused with the fields it knows", () => {
  const [unknown] = issuesOf({ ...iris, parameters: { learning_rate: { value: 0.1 } } });
  assert.match(
    unknown,
    /^parameters\.learning_rate: unknown run-config field "learning_rate": use one of dataset, layers/,
  );
  const [far] = issuesOf({ ...iris, parameters: { "layers.5.units": { value: 4 } } });
  assert.equal(
    far,
    "parameters.layers.5.units: layers has 2 items: layers.5.units names none of them",
  );
});

Deno.test("a distribution's bounds are checked against the run config and each other", () => {
  assert.deepEqual(
    issuesOf({ ...iris, parameters: { lr: { distribution: "uniform", min: -1, max: 0.1 } } }),
    ["parameters.lr.min: lr: must be a positive number"],
  );
  assert.deepEqual(
    issuesOf({ ...iris, parameters: { lr: { distribution: "uniform", min: 0.2, max: 0.1 } } }),
    ["parameters.lr: min must be below max"],
  );
  assert.deepEqual(
    issuesOf({
      ...iris,
      parameters: { batchSize: { distribution: "int_uniform", min: 1.5, max: 8 } },
    }),
    ["parameters.batchSize: int_uniform needs whole numbers for min and max"],
  );
  const [shape] = issuesOf({ ...iris, parameters: { lr: [0.1, 0.01] } });
  assert.match(shape, /^parameters\.lr: must be \{ "values": \[\.\.\.\] \}/);
});

Deno.test("a bad base run config is reported under run", () => {
  assert.deepEqual(issuesOf({ ...iris, run: { dataset: "iris", epochs: 0 } }), [
    "run.epochs: must be at least 1",
  ]);
});

Deno.test("a grid of a distribution, a validation metric without validation data and a random sweep without run_cap are refused", () => {
  assert.deepEqual(issuesOf({ ...iris, method: "grid", run: { dataset: "xor", epochs: 9 } }), [
    "parameters.lr: a grid takes values or value: list the values, or use method random",
    "metric.name: valAccuracy needs validation data: set run.validationSplit above 0, e.g. 0.2",
  ]);
  assert.deepEqual(issuesOf({ ...iris, run_cap: undefined }), [
    "run_cap: is required with method random: e.g. 20 trials",
  ]);
});

Deno.test("min_iter at or past the run's epochs is refused: there would be no rung", () => {
  assert.deepEqual(
    issuesOf({ ...iris, early_terminate: { type: "hyperband", min_iter: 9 } }),
    ["early_terminate.min_iter: must be below the run's 9 epochs: the first rung is at min_iter epochs"],
  );
});

Deno.test("withField sets nested fields on copies, starting from the preset where the input has none", () => {
  const input = { dataset: "iris", optimizer: "sgd" };
  const resolved = parseRunConfig(input);
  const out = withField(input, resolved, "optimizer.params.momentum", 0.9);
  assert.deepEqual(out.optimizer, { name: "sgd", params: { momentum: 0.9 } });
  assert.equal(input.optimizer, "sgd");
  const layers = withField(input, resolved, "layers.0.units", 8).layers as { units: number }[];
  assert.deepEqual(layers.map((l) => l.units), [8, 3]);
  assert.equal(resolved.layers![0].units, 16);
});

Deno.test("goal defaults to minimize, a run.out is refused, and a bad path is reported once", () => {
  const base = {
    method: "grid",
    metric: { name: "loss" },
    parameters: { lr: { values: [0.01, 0.1] } },
    run: { dataset: "xor" },
  };
  const ok = resolveSweepConfig(base);
  assert.ok(ok.ok && ok.sweep.metric.goal === "minimize");
  const out = resolveSweepConfig({ ...base, run: { dataset: "xor", out: "m.json" } });
  assert.ok(!out.ok && out.issues[0].path === "run.out");
  assert.match(out.issues[0].message, /take the best trial's model with --out/);
  const path = resolveSweepConfig({
    ...base,
    parameters: { "layers.3.activation": { values: ["relu", "tanh", "sigmoid"] } },
  });
  assert.ok(!path.ok);
  assert.equal(path.issues.length, 1);
});
