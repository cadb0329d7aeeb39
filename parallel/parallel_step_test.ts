import assert from "node:assert/strict";
import { lastValueFrom, toArray } from "rxjs";
import { inMemory } from "../core/data/in_memory.ts";
import { createNetwork, type Network, parameters } from "../core/math/network.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { train, type TrainOptions } from "../core/train/train.ts";
import type { Backend } from "../core/math/backend.ts";
import { createWasmBackend, wasmSimdSupported } from "../core/wasm/wasm_backend.ts";
import { createTrainStep } from "../core/math/train_step.ts";
import type { Batch } from "../core/math/types.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { parallel } from "./parallel_step.ts";
import { startWorkers } from "./worker_pool.ts";
import { failsInWorker, softsign } from "./_testing/plugins.ts";

const registry = createRegistry([...builtinPlugins(), softsign, failsInWorker]);
const ROWS = 200, INPUTS = 12, CLASSES = 3;
let seed = 3;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
const x = Float32Array.from({ length: ROWS * INPUTS }, rand);
const y = new Float32Array(ROWS * CLASSES);
for (let i = 0; i < ROWS; i++) y[i * CLASSES + (x[i * INPUTS] > 0.5 ? 1 : i % 3)] = 1;
const data = inMemory({ x, y, inputs: INPUTS, outputs: CLASSES });
const pluginModule = new URL("./_testing/plugins.ts", import.meta.url).href;

function network(hidden = "relu"): Network {
  return createNetwork({
    inputs: INPUTS,
    layers: [{ units: 16, activation: hidden }, { units: CLASSES, activation: "softmax" }],
  }, { registry, seed: 7 });
}

/** Trains `extra.network` (default a fresh 12-16-3 network) on `workers` threads; gives it back. */
async function trained(
  workers: number,
  extra: Partial<TrainOptions> = {},
  pool?: ReturnType<typeof startWorkers>,
): Promise<Network> {
  const net = extra.network ?? network();
  await lastValueFrom(train({
    network: net,
    loss: registry.get("loss", "crossEntropy"),
    optimizer: registry.get("optimizer", { name: "adam", params: { lr: 0.01 } }),
    data,
    epochs: 3,
    batchSize: 32,
    validationSplit: 0.2,
    createStep: parallel({ workers, ...(pool ? { pool } : {}) }),
    ...extra,
  }));
  return net;
}

const bytes = (net: Network) =>
  parameters(net).map((p) => [...new Uint8Array(p.buffer, p.byteOffset, p.byteLength)]);

function close(a: Network, b: Network, tolerance: number): void {
  parameters(a).forEach((p, i) => {
    const q = parameters(b)[i];
    for (let j = 0; j < p.length; j++) {
      assert.ok(Math.abs(p[j] - q[j]) <= tolerance, `tensor ${i}[${j}]: ${p[j]} vs ${q[j]}`);
    }
  });
}

Deno.test("two workers give byte-identical weights run after run, and match one worker within float32 rounding", async () => {
  const a = await trained(2), b = await trained(2), single = await trained(1);
  assert.deepEqual(bytes(a), bytes(b));
  close(a, single, 1e-4);
  assert.ok(
    !(a.layers[0].weights.buffer instanceof SharedArrayBuffer),
    "weights back in plain arrays",
  );
});

Deno.test("a network whose update is mostly ranged chunks trains to the same bits on 2 and 3 workers run after run", async () => {
  // 12-128-512-3: the 512-unit layer's weights are cut into the threads' ranges; only the
  // first layer and the last runs fit the update's tail.
  const wide = (workers: number) =>
    trained(workers, {
      network: createNetwork({
        inputs: INPUTS,
        layers: [
          { units: 128, activation: "relu" },
          { units: 512, activation: "relu" },
          { units: CLASSES, activation: "softmax" },
        ],
      }, { registry, seed: 7 }),
      epochs: 2,
    });
  const single = await wide(1);
  for (const workers of [2, 3]) {
    const a = await wide(workers), b = await wide(workers);
    assert.deepEqual(bytes(a), bytes(b), `${workers} workers, run after run`);
    close(a, single, 1e-4);
  }
});

Deno.test("three workers split uneven batches and stay deterministic", async () => {
  const opts = { batchSize: 25, epochs: 2 };
  const a = await trained(3, opts), b = await trained(3, opts), single = await trained(1, opts);
  assert.deepEqual(bytes(a), bytes(b));
  close(a, single, 1e-4);
});

Deno.test("parallel training on the wasm backend is deterministic and matches ts", {
  ignore: !wasmSimdSupported(),
}, async () => {
  const wasm = (): Backend => createWasmBackend({ memoryMiB: 8 });
  const a = await trained(2, { backend: wasm() }), b = await trained(2, { backend: wasm() });
  assert.deepEqual(bytes(a), bytes(b));
  close(a, await trained(2), 1e-4);
});

Deno.test("gradient clipping goes through the main thread's update", async () => {
  const optimizer = registry.get("optimizer", { name: "sgd", params: { lr: 0.1, clipNorm: 0.5 } });
  const events = (workers: number) =>
    lastValueFrom(train({
      network: network(),
      loss: registry.get("loss", "crossEntropy"),
      optimizer,
      data,
      epochs: 2,
      batchSize: 40,
      createStep: parallel({ workers }),
    }));
  const [two, one] = [await events(2), await events(1)];
  assert.equal(two.type, "end");
  assert.equal(one.type, "end");
});

Deno.test("per-layer statistics of the shared (Adam) update match a single thread's", async () => {
  const layers = async (createStep?: TrainOptions["createStep"]) => {
    const events = await lastValueFrom(
      train({
        network: network(),
        loss: registry.get("loss", "crossEntropy"),
        optimizer: registry.get("optimizer", { name: "adam", params: { lr: 0.01 } }),
        data,
        epochs: 3,
        batchSize: 32,
        validationSplit: 0.2, // every epoch measured, however fast
        ...(createStep ? { createStep } : {}),
      }).pipe(toArray()),
    );
    return events.flatMap((e) => (e.type === "epoch" ? e.layers : []));
  };
  const [two, one] = [await layers(parallel({ workers: 2 })), await layers()];
  assert.equal(two.length, 6);
  two.forEach((l, i) => {
    for (const key of ["gradNorm", "weightNorm", "updateRatio"] as const) {
      assert.ok(l[key] > 0, `${key} ${l[key]}`);
      const want = one[i][key];
      assert.ok(
        Math.abs(l[key] - want) <= 1e-3 * want,
        `layer ${i % 2} ${key}: ${l[key]} vs ${want}`,
      );
    }
  });
});

Deno.test("workers rebuild custom plugins from the modules they are given", async () => {
  const net = network("test/softsign");
  const loss = registry.get("loss", "crossEntropy");
  const optimizer = registry.get("optimizer", "adam");
  const run = (plugins?: string[]) =>
    lastValueFrom(train({
      network: net,
      loss,
      optimizer,
      data,
      epochs: 1,
      batchSize: 50,
      createStep: parallel({ workers: 2, ...(plugins ? { plugins } : {}) }),
    }));
  await assert.rejects(
    run(),
    /Unknown activation "test\/softsign" in a worker: a plugin defined inline/,
  );
  assert.equal((await run([pluginModule])).type, "end");
});

Deno.test("an error in a worker reaches the subscriber with its class and message", async () => {
  const net = network("test/failsInWorker");
  await assert.rejects(
    lastValueFrom(train({
      network: net,
      loss: registry.get("loss", "crossEntropy"),
      optimizer: registry.get("optimizer", "sgd"),
      data,
      epochs: 1,
      batchSize: 64,
      createStep: parallel({ workers: 2, plugins: [pluginModule] }),
    })),
    (e: Error) => e instanceof RangeError && /boom \(in worker 1\)/.test(e.message),
  );
});

Deno.test("unsubscribing mid-run ends the workers and keeps the last completed step", async () => {
  const net = network();
  let batches = 0;
  await new Promise<void>((resolve) => {
    const sub = train({
      network: net,
      loss: registry.get("loss", "crossEntropy"),
      optimizer: registry.get("optimizer", "adam"),
      data,
      epochs: 50,
      batchSize: 16,
      createStep: parallel({ workers: 2 }),
    }).subscribe((e) => {
      if (e.type === "batch" && ++batches === 5) {
        sub.unsubscribe();
        setTimeout(resolve, 10);
      }
    });
  });
  assert.equal(batches, 5);
  assert.ok(parameters(net).every((p) => p.every(Number.isFinite)));
});

Deno.test("parallel() checks its worker count", () => {
  assert.throws(
    () => parallel({ workers: 0 }),
    /Invalid workers: 0 must be a whole number in 1..256/,
  );
  assert.throws(() => parallel({ workers: 1.5 }), RangeError);
});

for (const wasm of [false, true]) {
  Deno.test(
    `one step with two workers gives the first layer one thread's bits${wasm ? " (wasm)" : ""}`,
    {
      ignore: wasm && !wasmSimdSupported(),
    },
    async () => {
      // Its gradient is computed once over the whole batch (no reduction), and an
      // even split scales each thread's dL/dz by a power of two: exact.
      const rows = 32;
      const batch: Batch = {
        x: { data: x.subarray(0, rows * INPUTS), rows, cols: INPUTS },
        t: { data: y.subarray(0, rows * CLASSES), rows, cols: CLASSES },
      };
      const options = () => ({
        loss: registry.get("loss", "crossEntropy"),
        optimizer: registry.get("optimizer", { name: "adam", params: { lr: 0.01 } }),
        batchSize: rows,
        l2: 1e-3,
        ...(wasm ? { backend: createWasmBackend({ memoryMiB: 8 }) } : {}),
      });
      const one = network(), two = network();
      const single = createTrainStep(one, options());
      const lossOne = single.run(batch);
      const step = await parallel({ workers: 2 })(two, options());
      const lossTwo = step.run(batch);
      step.close!(); // finishes the update the workers may still be running
      assert.ok(Math.abs(lossOne - lossTwo) < 1e-6);
      assert.deepEqual(bytes(two).slice(0, 2), bytes(one).slice(0, 2));
      close(two, one, 1e-6);
    },
  );
}

Deno.test("a run takes its workers from a pool started ahead, with the same bits", async () => {
  const pool = startWorkers(1);
  try {
    assert.equal(pool.size, 1);
    const pooled = await trained(2, {}, pool);
    assert.equal(pool.size, 0);
    assert.deepEqual(bytes(pooled), bytes(await trained(2)));
  } finally {
    pool.close();
  }
});

Deno.test("a worker warmed up while it waited trains to the same bits", async () => {
  const pool = startWorkers(1, {
    warmUp: {
      spec: {
        inputs: INPUTS,
        layers: [{ units: 16, activation: "relu" }, { units: CLASSES, activation: "softmax" }],
      },
      loss: "crossEntropy",
      optimizer: { name: "adam", params: { lr: 0.01 } },
      backend: "ts",
      batchSize: 32,
    },
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 150)); // long enough to load and warm up
    assert.deepEqual(bytes(await trained(2, {}, pool)), bytes(await trained(2)));
  } finally {
    pool.close();
  }
});

for (const wasm of [false, true]) {
  Deno.test(
    `two workers score a batch in runs of a thread's share of rows, with one thread's bits${
      wasm ? " (wasm)" : ""
    }`,
    { ignore: wasm && !wasmSimdSupported() },
    async () => {
      // 77 rows in chunks of 32: 16 + 16, 16 + 16, then a tail of 13 that the main thread scores alone.
      const rows = 77, share = 16;
      const batch: Batch = {
        x: { data: x.subarray(0, rows * INPUTS), rows, cols: INPUTS },
        t: { data: y.subarray(0, rows * CLASSES), rows, cols: CLASSES },
      };
      const options = (batchSize: number) => ({
        loss: registry.get("loss", "crossEntropy"),
        optimizer: registry.get("optimizer", "adam"),
        batchSize,
        ...(wasm ? { backend: createWasmBackend({ memoryMiB: 8 }) } : {}),
      });
      const step = await parallel({ workers: 2 })(network(), options(2 * share));
      try {
        const scored = step.evaluate(batch);
        const alone = createTrainStep(network(), options(share)).evaluate(batch);
        assert.ok(Object.is(scored.loss, alone.loss), `${scored.loss} vs ${alone.loss}`);
        assert.equal(scored.correct, alone.correct);
        assert.deepEqual(step.evaluate(batch), scored);
        // The workers serve steps again after scoring.
        const first: Batch = {
          x: { data: batch.x.data, rows: 2 * share, cols: INPUTS },
          t: { data: batch.t.data, rows: 2 * share, cols: CLASSES },
        };
        assert.ok(Number.isFinite(step.run(first)));
      } finally {
        step.close!();
      }
    },
  );
}

Deno.test("scoring with two workers runs on the worker too: its error reaches the caller", async () => {
  const rows = 64,
    step = await parallel({ workers: 2, plugins: [pluginModule] })(
      network("test/failsInWorker"),
      {
        loss: registry.get("loss", "crossEntropy"),
        optimizer: registry.get("optimizer", "sgd"),
        batchSize: rows,
      },
    );
  try {
    assert.throws(
      () =>
        step.evaluate({
          x: { data: x.subarray(0, rows * INPUTS), rows, cols: INPUTS },
          t: { data: y.subarray(0, rows * CLASSES), rows, cols: CLASSES },
        }),
      (e: Error) => e instanceof RangeError && /boom \(in worker 1\)/.test(e.message),
    );
  } finally {
    step.close!();
  }
});
