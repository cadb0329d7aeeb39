// `predict` on the W1 network (784-128-64-10, ReLU, ReLU, softmax) for 1, 2, 3,
// 4, 64 and 1000 rows: the pure TypeScript kernels against the WebAssembly SIMD ones
// (one fused GEMM per layer over the whole batch), with the weights copied in
// on every call or, as the edge handler does, once. bench/peers.ts (W4) sets
// the 64-row case beside TensorFlow.js.
import { createRegistry } from "../checks/registry.ts";
import { createNetwork } from "../math/network.ts";
import { fakeRelu } from "../_testing/fakes.ts";
import { fakeSoftmax } from "../_testing/train_fakes.ts";
import { predict } from "./predict.ts";
import { kernelModule } from "./_kernels.ts";
import { createWasmInference } from "./wasm_inference.ts";
import { PRESETS } from "../../jobs/presets.ts";

const relu = { ...fakeRelu, kernel: "relu" as const };
const network = createNetwork({ inputs: 784, layers: PRESETS.mnist.layers }, {
  registry: createRegistry([relu, fakeSoftmax]),
  seed: 42,
});

// The edge handler's engine: the network's weights copied in once.
const kept = createWasmInference(kernelModule(false, false));
kept.keep(network);

for (const rows of [1, 2, 3, 4, 64, 1000]) {
  const x = { data: new Float32Array(rows * 784), rows, cols: 784 };
  for (let i = 0; i < x.data.length; i++) x.data[i] = ((i * 7919) % 255) / 255;
  const group = `predict ${rows} rows, 784-128-64-10`;
  Deno.bench(`pure TS, ${rows} rows`, { group, baseline: true }, () => {
    predict(network, x, { backend: "ts" });
  });
  Deno.bench(`wasm-simd, ${rows} rows`, { group }, () => {
    predict(network, x, { backend: "wasm" });
  });
  Deno.bench(`wasm-simd, kept network (the edge handler), ${rows} rows`, { group }, () => {
    kept.run(network, x);
  });
}
