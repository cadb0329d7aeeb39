// A plugin for the worker launch tests, in a module so that a training Worker can import it.
import { elementwise } from "../../core/math/elementwise.ts";

const inWorker = "DedicatedWorkerGlobalScope" in globalThis;

/** Identity, except that inside a Worker its first real batch never returns (the registry's probes are small). */
export const stuck = elementwise({ name: "test/stuck", f: (x) => x, df: () => 1 });
const forward = stuck.forward;
Object.assign(stuck, {
  forward(z: Parameters<typeof forward>[0], y: Parameters<typeof forward>[1]) {
    while (inWorker && z.rows * z.cols > 100) {
      // spins: the Worker never reads its stop message
    }
    forward(z, y);
  },
});
