import assert from "node:assert/strict";
import { gemmSimdBase64 } from "./_gemm_wasm.ts";
import { sharedImport } from "./_shared_import.ts";

const kernels = Uint8Array.from(atob(gemmSimdBase64), (ch) => ch.charCodeAt(0));

Deno.test("sharedImport makes the kernels instantiate over a shared memory only", () => {
  const shared = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
  const plain = new WebAssembly.Memory({ initial: 2, maximum: 2 });
  const module = new WebAssembly.Module(sharedImport(kernels));
  assert.deepStrictEqual(
    WebAssembly.Module.exports(module).map((e) => e.name),
    WebAssembly.Module.exports(new WebAssembly.Module(kernels)).map((e) => e.name),
  );
  new WebAssembly.Instance(module, { env: { memory: shared } });
  assert.throws(() => new WebAssembly.Instance(module, { env: { memory: plain } }));
});

Deno.test("sharedImport rejects a module that imports no memory", () => {
  const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert.throws(() => sharedImport(empty), { name: "TypeError", message: /imports no memory/ });
});
