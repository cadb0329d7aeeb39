import assert from "node:assert/strict";
import { lastValueFrom } from "rxjs";
import { inMemory } from "../core/data/in_memory.ts";
import { tsBackend } from "../core/math/kernels.ts";
import { createNetwork, parameters } from "../core/math/network.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { train } from "../core/train/train.ts";
import { wasmSimdSupported } from "../core/wasm/wasm_backend.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { pickBackend, pickWorkers, stepFloats, warmUpFor, workersAhead } from "./_backend.ts";
import { parseRunConfig, resolveRunConfig } from "./run_config.ts";
import { runJob } from "./run_job.ts";

const weightsAfter = async (backend: "ts" | "wasm") => {
  // iris, 16 relu + softmax, Adam: a few dozen steps of a small net
  const config = parseRunConfig({ dataset: "iris", epochs: 4, backend, workers: 1 });
  const job = await runJob(config, { batchEvents: false });
  assert.equal(job.backend, backend === "ts" ? "ts" : "wasm-simd");
  await lastValueFrom(job.events$);
  return parameters(job.network).map((p) => Float32Array.from(p));
};

Deno.test(
  "the ts and wasm backends train to the same weights within float32 rounding, each deterministic",
  {
    ignore: !wasmSimdSupported(),
  },
  async () => {
    const [ts, ts2, wasm, wasm2] = [
      await weightsAfter("ts"),
      await weightsAfter("ts"),
      await weightsAfter("wasm"),
      await weightsAfter("wasm"),
    ];
    assert.deepEqual(ts, ts2);
    assert.deepEqual(wasm, wasm2);
    ts.forEach((tensor, i) => {
      for (let j = 0; j < tensor.length; j++) {
        const scale = Math.max(1, Math.abs(tensor[j]));
        assert.ok(Math.abs(tensor[j] - wasm[i][j]) <= 1e-4 * scale, `tensor ${i}[${j}]`);
      }
    });
  },
);

Deno.test("backend and workers are run-config fields checked with their fix", () => {
  const r = resolveRunConfig({ backend: "gpu", workers: 0 });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.issues.map((i) => `${i.path}: ${i.message}`), [
    'backend: must be "auto", "ts" or "wasm"',
    "workers: must be at least 1",
  ]);
  const ok = parseRunConfig({ backend: "ts", workers: 2 });
  assert.deepEqual([ok.backend, ok.workers], ["ts", 2]);
  assert.equal(pickBackend("ts").name, "ts");
  if (wasmSimdSupported()) assert.equal(pickBackend("wasm").name, "wasm-simd");
});

Deno.test("pickWorkers: one per core for big steps, one for small ones or inline plugins, capped at the cores", () => {
  const mnist = { cores: 4, batchSize: 64, params: 109_386, portable: true };
  assert.equal(pickWorkers(mnist), 4);
  assert.equal(pickWorkers({ ...mnist, batchSize: 16 }), 2); // 8 rows a thread at least
  assert.equal(pickWorkers({ ...mnist, params: 41, batchSize: 4 }), 1); // xor
  assert.equal(pickWorkers({ ...mnist, portable: false }), 1);
  assert.equal(pickWorkers({ ...mnist, asked: 3 }), 3);
  assert.equal(pickWorkers({ ...mnist, asked: 16 }), 4);
});

Deno.test("runJob trains on the workers the config asks for", async () => {
  const config = parseRunConfig({ dataset: "iris", epochs: 2, workers: 2, backend: "ts" });
  const job = await runJob(config, { batchEvents: false });
  assert.equal(job.workers, Math.min(2, navigator.hardwareConcurrency));
  assert.equal((await lastValueFrom(job.events$)).type, "end");
  assert.ok((job.evaluateTest()?.accuracy ?? 0) > 0.3);
});

Deno.test("workersAhead: the workers pickWorkers would use beyond this thread, none for small built-in data", () => {
  const cores = Math.max(1, navigator.hardwareConcurrency ?? 1);
  const layers = [{ units: 128 }, { units: 64 }, { units: 10 }];
  const mnist = { dataset: "mnist", batchSize: 64, layers };
  assert.equal(workersAhead({ ...mnist, workers: 1 }, {}), 0);
  assert.equal(workersAhead({ ...mnist, dataset: "xor", workers: 2 }, {}), Math.min(2, cores) - 1);
  assert.equal(workersAhead({ ...mnist, workers: 1 }, { workers: 256 }), Math.min(cores, 256) - 1);
  assert.equal(workersAhead(mnist, {}), Math.min(cores, 8) - 1);
  assert.equal(workersAhead({ ...mnist, batchSize: 8 }, {}), 0); // one thread per 8 rows at most
  // A file's width is unknown ahead: one worker at most, unless more are asked for.
  const csv = { dataset: { path: "big.csv" }, batchSize: 32, layers };
  assert.equal(workersAhead(csv, {}), Math.min(cores, 4, 2) - 1);
  assert.equal(workersAhead(csv, { workers: 3 }), Math.min(cores, 3) - 1);
  for (const small of ["xor", "iris", "sine"]) {
    assert.equal(workersAhead({ dataset: small, batchSize: 64, layers }, {}), 0);
  }
  // A network too small to split is known from a built-in set's width: 64 x 7,850 multiply-adds.
  assert.equal(workersAhead({ ...mnist, layers: [{ units: 10 }] }, {}), 0);
});

Deno.test("workersAhead: none for a file whose header shows a network one thread serves", () => {
  const cores = Math.max(1, navigator.hardwareConcurrency ?? 1);
  const csv = { dataset: { csv: "fashion.csv", target: "label" }, batchSize: 32 };
  // 784 inputs to 10 softmax units: 32 x 7,850 multiply-adds, under a million.
  assert.equal(workersAhead({ ...csv, layers: [{ units: 10 }] }, {}, 784), 0);
  // 784-128-64-10: 32 x 109,386, over it: one worker ahead of a file, as for an unknown width.
  const big = [{ units: 128 }, { units: 64 }, { units: 10 }];
  assert.equal(workersAhead({ ...csv, layers: big }, {}, 784), Math.min(cores, 2) - 1);
  assert.equal(
    workersAhead({ ...csv, layers: [{ units: 10 }] }, { workers: 2 }, 784),
    Math.min(cores, 2) - 1,
  );
});

Deno.test("warmUpFor: the job's layers, plugins, batch and likely backend, MNIST's width for MNIST", () => {
  const layers = [{ units: 8, activation: "relu" }, { units: 10, activation: "softmax" }];
  const plugins = {
    loss: { kind: "loss", name: "crossEntropy" },
    optimizer: { kind: "optimizer", name: "adam", params: { lr: 0.01 } },
  } as unknown as Parameters<typeof warmUpFor>[2];
  const mnist = warmUpFor({ layers, batchSize: 32, dataset: "mnist" }, {}, plugins);
  assert.deepEqual(mnist, {
    spec: { inputs: 784, layers },
    loss: { name: "crossEntropy" },
    optimizer: { name: "adam", params: { lr: 0.01 } },
    backend: wasmSimdSupported() ? "wasm-simd" : "ts",
    batchSize: 32,
  });
  const file = warmUpFor(
    { layers, batchSize: 32, dataset: { csv: "d.csv" }, backend: "ts" },
    { pluginModules: ["file:///p.ts"] },
    plugins,
  );
  assert.equal(file.spec.inputs, 32);
  assert.equal(file.backend, "ts");
  assert.deepEqual(file.modules, ["file:///p.ts"]);
});

Deno.test("stepFloats covers every float a run allocates from its backend (wasm memory is sized from it)", async () => {
  let allocated = 0;
  const backend = {
    ...tsBackend,
    name: "counting",
    alloc(n: number) {
      allocated += n;
      return new Float32Array(n);
    },
  };
  const registry = createRegistry(builtinPlugins());
  const network = createNetwork(
    {
      inputs: 5,
      layers: [{ units: 7, activation: "relu" }, { units: 6, activation: "tanh" }, {
        units: 3,
        activation: "softmax",
      }],
    },
    { registry, seed: 1 },
  );
  const optimizer = registry.get("optimizer", "adam");
  const rows = 30;
  const x = new Float32Array(rows * 5).map((_, i) => Math.sin(i));
  const y = new Float32Array(rows * 3).map((_, i) => (i % 3 === Math.floor(i / 3) % 3 ? 1 : 0));
  const batchSize = 8, estimate = stepFloats(network, { batchSize, slots: optimizer.slots });
  await lastValueFrom(train({
    network,
    loss: registry.get("loss", "crossEntropy"),
    optimizer,
    data: inMemory({ x, y, inputs: 5, outputs: 3 }),
    validationSplit: 0.2,
    epochs: 2,
    batchSize,
    l2: 1e-4,
    backend,
  }));
  assert.ok(allocated > 0, "the run allocated through its backend");
  assert.ok(
    allocated <= estimate,
    `the run allocated ${allocated} floats, stepFloats estimates ${estimate}: update stepFloats`,
  );
});
