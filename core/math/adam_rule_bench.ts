// One Adam step over the 109,386 weights of the default MNIST network: the
// TypeScript rule against the wasm backend's kernel (f32x4 lanes, the same bits).
import { adamConstants, adamSettings, adamUpdate } from "./adam_rule.ts";
import { createWasmBackend } from "../wasm/wasm_backend.ts";

const n = 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10;
const wasm = createWasmBackend({ memoryMiB: 16 });
const c = adamConstants(adamSettings(), 1e-3, 10);
const arrays = (alloc: (n: number) => Float32Array) => {
  const [p, g, m, v] = [alloc(n), alloc(n), alloc(n), alloc(n)];
  for (let i = 0; i < n; i++) p[i] = Math.sin(i), g[i] = Math.cos(i) / 100;
  return { p, g, m, v };
};
const ts = arrays((n) => new Float32Array(n)), inWasm = arrays((n) => wasm.alloc(n));
const group = "adam, 109,386 weights";

Deno.bench("TypeScript adamUpdate", { group, baseline: true }, () => {
  adamUpdate(ts.p, ts.g, ts.m, ts.v, c);
});
Deno.bench("wasm backend.adam", { group }, () => {
  wasm.adam!(inWasm.p, inWasm.g, inWasm.m, inWasm.v, c);
});
