// Plugins for the parallel tests, in a module so that Workers can import them.
import { elementwise } from "../../core/math/elementwise.ts";

/** A custom activation the workers must find through the module. */
export const softsign = elementwise({
  name: "test/softsign",
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / (1 + Math.abs(x)) ** 2,
});

const inWorker = "DedicatedWorkerGlobalScope" in globalThis;

/** Identity on the main thread; throws on big batches inside a Worker (the registry's probes are small). */
export const failsInWorker = elementwise({
  name: "test/failsInWorker",
  f: (x) => x,
  df: () => 1,
});
const forward = failsInWorker.forward;
Object.assign(failsInWorker, {
  forward(z: Parameters<typeof forward>[0], y: Parameters<typeof forward>[1]) {
    if (inWorker && z.rows * z.cols > 100) throw new RangeError("Invalid test input: boom");
    forward(z, y);
  },
});
