// Chooses the matrix kernels for a job.
import type { Backend } from "../core/backend.ts";
import { tsBackend } from "../core/kernels.ts";
import { createWasmBackend, wasmSimdSupported } from "../core/wasm_backend.ts";

/** `"auto"`: WebAssembly SIMD where the runtime has it (about 2.5x faster), else TypeScript. */
export function pickBackend(choice: "auto" | "ts" | Backend): Backend {
  if (choice === "ts") return tsBackend;
  if (choice !== "auto") return choice;
  return wasmSimdSupported() ? createWasmBackend() : tsBackend;
}
