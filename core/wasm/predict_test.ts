import assert from "node:assert/strict";
import { createRegistry } from "../checks/registry.ts";
import { createNetwork, type Network } from "../math/network.ts";
import type { ActivationPlugin, Mat, NetworkSpec } from "../math/types.ts";
import { predict as predictTs } from "../math/predict.ts";
import { fakeIdentity, fakeRelu, fakeSigmoid, fakeTanh } from "../_testing/fakes.ts";
import { fakeSoftmax } from "../_testing/train_fakes.ts";
import { kernelModule, wasmSimdSupported } from "./_kernels.ts";
import { predict } from "./predict.ts";
import { createWasmInference } from "./wasm_inference.ts";

/** A ReLU that promises the fused kernel, as the built-in one does. */
const kernelRelu: ActivationPlugin = { ...fakeRelu, name: "relu-kernel", kernel: "relu" };
const registry = createRegistry([
  fakeIdentity,
  fakeRelu,
  fakeSigmoid,
  fakeTanh,
  fakeSoftmax,
  kernelRelu,
]);
const simd = wasmSimdSupported();

const network = (spec: NetworkSpec, dtype: "float32" | "float64" = "float32"): Network =>
  createNetwork(spec, { registry, seed: 7, dtype });

function rows(count: number, cols: number, seed = 1): Mat {
  const data = new Float32Array(count * cols);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = (s >>> 8) / 2 ** 24;
  }
  return { data, rows: count, cols };
}

function assertWithin(actual: Mat, expected: Mat, tolerance: number): void {
  assert.equal(actual.rows, expected.rows);
  assert.equal(actual.cols, expected.cols);
  assert.equal(actual.data.length, expected.data.length);
  for (let i = 0; i < actual.data.length; i++) {
    const gap = Math.abs(actual.data[i] - expected.data[i]);
    if (!(gap <= tolerance)) {
      throw new Error(`Mismatch at ${i}: ${actual.data[i]} vs ${expected.data[i]}`);
    }
  }
}

const MNIST: NetworkSpec = {
  inputs: 784,
  layers: [
    { units: 128, activation: "relu-kernel" },
    { units: 64, activation: "relu-kernel" },
    { units: 10, activation: "softmax" },
  ],
};
const ODD: NetworkSpec = {
  inputs: 13,
  layers: [
    { units: 7, activation: "tanh" },
    { units: 9, activation: "relu" },
    { units: 5, activation: "relu-kernel" },
    { units: 3, activation: "identity" },
  ],
};

Deno.test("wasm predict matches the TypeScript path within 1e-6 on the MNIST network", {
  ignore: !simd,
}, () => {
  const net = network(MNIST);
  for (const count of [1, 2, 3, 4, 7, 64, 97]) { // 1 to 4 rows: the product that packs nothing
    const x = rows(count, 784, count);
    assertWithin(predict(net, x, { backend: "wasm" }), predictTs(net, x), 1e-6);
  }
});

Deno.test("wasm predict matches the TypeScript path within 1e-6 on odd sizes", {
  ignore: !simd,
}, () => {
  const odd = network(ODD),
    sigmoid = network({
      inputs: 1,
      layers: [{ units: 1, activation: "sigmoid" }],
    });
  for (const count of [1, 2, 5, 6, 13, 301]) {
    const x = rows(count, 13, count);
    assertWithin(predict(odd, x, { backend: "wasm" }), predictTs(odd, x), 1e-6);
    const one = rows(count, 1, count);
    assertWithin(predict(sigmoid, one, { backend: "wasm" }), predictTs(sigmoid, one), 1e-6);
  }
});

Deno.test("predict leaves its input and the network's weights as they were", {
  ignore: !simd,
}, () => {
  const net = network(ODD), x = rows(5, 13);
  const before = Float32Array.from(x.data), weights = Float32Array.from(net.layers[0].weights);
  predict(net, x);
  assert.deepEqual(x.data, before);
  assert.deepEqual(net.layers[0].weights, weights);
});

Deno.test("predict sees weights changed in place since its last call", { ignore: !simd }, () => {
  const net = network(ODD), x = rows(4, 13);
  const first = predict(net, x, { backend: "wasm" });
  net.layers[3].bias[0] += 1;
  const second = predict(net, x, { backend: "wasm" });
  assert.ok(Math.abs(second.data[0] - first.data[0] - 1) < 1e-6);
  assertWithin(second, predictTs(net, x), 1e-6);
});

Deno.test("predict runs float64 networks in TypeScript, bit for bit", () => {
  const net = network(ODD, "float64"), x = rows(6, 13);
  assert.deepEqual(predict(net, x), predictTs(net, x));
  assert.ok(predict(net, x).data instanceof Float64Array);
  if (simd) {
    assert.throws(() => predict(net, x, { backend: "wasm" }), {
      name: "TypeError",
      message: /float64, use ts or auto/,
    });
  }
});

Deno.test("predict with backend ts gives the TypeScript path's bits", () => {
  const net = network(ODD), x = rows(9, 13);
  assert.deepEqual(predict(net, x, { backend: "ts" }), predictTs(net, x));
});

Deno.test("predict answers no rows with no outputs on every backend", () => {
  const net = network(ODD), x = { data: new Float32Array(0), rows: 0, cols: 13 };
  for (const backend of ["ts", "auto", ...(simd ? ["wasm" as const] : [])] as const) {
    const y = predict(net, x, { backend });
    assert.equal(y.rows, 0);
    assert.equal(y.data.length, 0);
  }
});

Deno.test("predict rejects an unknown backend and rows of the wrong width", () => {
  const net = network(ODD);
  assert.throws(
    () => predict(net, rows(1, 13), { backend: "gpu" as "ts" }),
    { name: "TypeError", message: 'Unknown backend: "gpu", expected one of ts, wasm, auto' },
  );
  assert.throws(() => predict(net, rows(1, 12)), {
    name: "RangeError",
    message: /Input width mismatch: rows have 12 values but the network takes 13/,
  });
  assert.throws(() => predict(net, { data: new Float32Array(20), rows: 2, cols: 13 }), {
    name: "RangeError",
    message: /Input too short: 20 values for 2 rows of 13/,
  });
});

Deno.test("wasm inference grows its memory for a larger batch and declines one past its limit", {
  ignore: !simd,
}, () => {
  const wasm = createWasmInference(kernelModule(false, false), { maxMemoryMiB: 8 });
  const net = network(MNIST);
  assert.equal(wasm.memoryBytes(), 0);
  const small = rows(2, 784);
  assertWithin(wasm.run(net, small)!, predictTs(net, small), 1e-6);
  const first = wasm.memoryBytes();
  assert.equal(first, 2 * 2 ** 20);
  const large = rows(1000, 784); // 3.1 MB of rows, 6.3 MB in all
  assertWithin(wasm.run(net, large)!, predictTs(net, large), 1e-6);
  assert.ok(wasm.memoryBytes() > first);
  assertWithin(wasm.run(net, small)!, predictTs(net, small), 1e-6);
  assert.equal(wasm.run(net, rows(3000, 784)), undefined); // 9.4 MB of rows: past 8 MiB
  assert.throws(() => createWasmInference(kernelModule(false, false), { maxMemoryMiB: 0 }), {
    name: "RangeError",
    message: /Invalid maxMemoryMiB: 0/,
  });
});

Deno.test("a kept network runs from weights copied in once, with the same bits", {
  ignore: !simd,
}, () => {
  const wasm = createWasmInference(kernelModule(false, false), { maxMemoryMiB: 8 });
  const net = network(MNIST), other = network({ ...MNIST, layers: [{ units: 7 }] });
  const x = rows(5, 784), copied = wasm.run(net, x)!;
  const one = rows(1, 784, 9), copiedOne = wasm.run(net, one)!; // one row: the unpacked product
  const three = rows(3, 784, 4), copiedThree = wasm.run(net, three)!; // three rows: unpacked too
  assert.equal(wasm.keep(net), true);
  assert.deepEqual(wasm.run(net, x), copied);
  assert.deepEqual(wasm.run(net, one), copiedOne);
  assert.deepEqual(wasm.run(net, three), copiedThree);
  // Another network still runs from copies, above the kept weights, which it leaves alone.
  assertWithin(wasm.run(other, x)!, predictTs(other, x), 1e-5); // linear outputs near 1.4
  const large = rows(1000, 784); // the memory grows under the kept weights
  assertWithin(wasm.run(net, large)!, predictTs(net, large), 1e-6);
  assert.deepEqual(wasm.run(net, x), copied);
  assert.deepEqual(wasm.run(net, one), copiedOne);
  // A change after keep is not seen until the network is kept again.
  net.layers[0].bias[0] += 1;
  assert.deepEqual(wasm.run(net, x), copied);
  assert.equal(wasm.keep(net), true);
  assertWithin(wasm.run(net, x)!, predictTs(net, x), 1e-6);
  assertWithin(wasm.run(net, one)!, predictTs(net, one), 1e-6);
  assert.notDeepEqual(wasm.run(net, x), copied);
  // Declined: a float64 network, or weights past the memory; nothing stays kept.
  assert.equal(wasm.keep(network(MNIST, "float64")), false);
  const wide = network({ inputs: 784, layers: [{ units: 3000 }] }); // 9.4 MB of weights
  assert.equal(wasm.keep(wide), false);
  assert.equal(wasm.run(wide, x), undefined);
  net.layers[0].bias[0] -= 1;
  assert.deepEqual(wasm.run(net, x), copied); // copied in again: no longer kept
});

Deno.test("where compiling wasm is refused, auto predicts in TypeScript and wasm says why", async () => {
  // As on Cloudflare Workers and Vercel Edge: validating works, compiling throws. A process of
  // its own, since the engine is made once per process.
  const script = `
    WebAssembly.Module = function () {
      throw new WebAssembly.CompileError("Wasm code generation disallowed by embedder");
    };
    const { predict } = await import(${
    JSON.stringify(new URL("./predict.ts", import.meta.url).href)
  });
    const { predict: predictTs } = await import(${
    JSON.stringify(new URL("../math/predict.ts", import.meta.url).href)
  });
    const { createNetwork } = await import(${
    JSON.stringify(new URL("../math/network.ts", import.meta.url).href)
  });
    const { fakeTanh } = await import(${
    JSON.stringify(new URL("../_testing/fakes.ts", import.meta.url).href)
  });
    const { createRegistry } = await import(${
    JSON.stringify(new URL("../checks/registry.ts", import.meta.url).href)
  });
    const net = createNetwork({ inputs: 2, layers: [{ units: 3, activation: "tanh" }] },
      { registry: createRegistry([fakeTanh]), seed: 7 });
    const x = { data: new Float32Array([0.5, -1, 2, 0.25]), rows: 2, cols: 2 };
    const same = [predict(net, x), predict(net, x)]
      .every((y) => y.data.join() === predictTs(net, x).data.join());
    let refused = "";
    try { predict(net, x, { backend: "wasm" }); } catch (e) { refused = e.message; }
    console.log(JSON.stringify({ same, refused }));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  const { same, refused } = JSON.parse(text.split("\n").at(-1)!);
  assert.equal(same, true, "auto gave the TypeScript path's exact bits, twice");
  assert.match(refused, /^Unsupported backend wasm: .*forbids compiling wasm, use ts or auto$/);
});
