/**
 * Loads TensorFlow.js 4.22 (core, layers, and the cpu or wasm backend) from
 * npm at run time. The specifiers live in variables so that `deno check` and
 * the lockfile never see them: run the importing script with `--no-lock`.
 * Shared by `bench/gflops.ts --tfjs` and `bench/peers.ts`.
 *
 * @module
 */

const TFJS = {
  core: "npm:@tensorflow/tfjs-core@4.22.0",
  layers: "npm:@tensorflow/tfjs-layers@4.22.0",
  cpu: "npm:@tensorflow/tfjs-backend-cpu@4.22.0",
  wasm: "npm:@tensorflow/tfjs-backend-wasm@4.22.0",
} as const;

/** The TensorFlow.js version this loads. */
export const TFJS_VERSION = "4.22.0";

/** A loaded TensorFlow.js: `tf` is tfjs-core, `layers` is tfjs-layers (untyped on purpose). */
export interface Tfjs {
  // deno-lint-ignore no-explicit-any
  readonly tf: any;
  // deno-lint-ignore no-explicit-any
  readonly layers: any;
  readonly backend: "cpu" | "wasm";
}

/**
 * Imports TensorFlow.js and selects a backend: `"wasm"` is XNNPACK with SIMD
 * on one thread (the multi-threaded build needs cross-origin isolation that
 * Deno does not offer); `"cpu"` is plain JavaScript.
 *
 * @example
 * ```ts ignore
 * const { tf } = await loadTfjs("wasm");
 * tf.matMul(tf.ones([2, 2]), tf.ones([2, 2])).dataSync(); // [2, 2, 2, 2]
 * ```
 */
export async function loadTfjs(backend: "cpu" | "wasm"): Promise<Tfjs> {
  const tf = await import(TFJS.core);
  const layers = await import(TFJS.layers);
  if (backend === "wasm") {
    const wasm = await import(TFJS.wasm);
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasm.setThreadsCount(1);
  } else {
    await import(TFJS.cpu);
  }
  if (!await tf.setBackend(backend)) {
    throw new Error(`TensorFlow.js ${backend} backend failed to load`);
  }
  await tf.ready();
  return { tf, layers, backend };
}
