/**
 * A custom activation from start to finish: write it in a few lines
 * (./plugins/bent_identity.ts), let the registry prove it right, train a
 * network with it, save the model with plugin fingerprints, load it back with
 * fingerprint checks, and predict.
 *
 * Run: `deno run examples/custom_activation.ts`
 *
 * @module
 */
import {
  createNetwork,
  createRegistry,
  createTrainStep,
  elementwise,
  fromModelFile,
  modelFingerprintHooks,
  predict,
  toModelFile,
} from "../mod.ts";
import { adam, builtinPlugins, mse } from "../plugins/mod.ts";
import bentIdentity from "./plugins/bent_identity.ts";

/** What {@linkcode customActivation} found at each stage. */
export interface CustomActivationResult {
  /** The error the registry gave a copy of the plugin with a wrong derivative. */
  refused: string;
  /** Mean loss before and after training. */
  lossBefore: number;
  lossAfter: number;
  /** Outputs of the reloaded model for the four XOR inputs. */
  predictions: number[];
  /** True when the reloaded model predicts exactly what the trained one did. */
  sameAfterReload: boolean;
  /** The error loading gave when the registered plugin's math had changed. */
  changedMath: string;
}

/**
 * Trains a 2-4-1 network with bent identity hidden units on XOR and takes it
 * through save and load, logging each stage.
 *
 * @example
 * ```ts
 * import { customActivation } from "./custom_activation.ts";
 * const { lossAfter, sameAfterReload } = customActivation();
 * lossAfter < 0.01 && sameAfterReload; // true
 * ```
 */
export function customActivation(log: (line: string) => void = () => {}): CustomActivationResult {
  // 1. The registry checks every plugin before use: a wrong derivative is refused.
  const wrong = elementwise({
    name: "myorg/bentIdentity",
    f: (x) => (Math.sqrt(x * x + 1) - 1) / 2 + x,
    df: (x) => x / Math.sqrt(x * x + 1) + 1, // forgot the 1/2
  });
  let refused = "";
  try {
    createRegistry([wrong]);
  } catch (e) {
    refused = (e as Error).message;
    log(`refused: ${refused}`);
  }

  // 2. The right one passes: shape, purity, finite outputs up to |x| = 1e4, gradient check.
  const t0 = performance.now();
  const registry = createRegistry([...builtinPlugins(), bentIdentity]);
  const ms = (performance.now() - t0).toFixed(1);
  log(
    `registered ${bentIdentity.name} ${bentIdentity.version} beside the built-ins, all checked, in ${ms} ms`,
  );

  // 3. Train 2-4-1 on XOR: bent identity hidden units, sigmoid output.
  const network = createNetwork({
    inputs: 2,
    layers: [{ units: 4, activation: "myorg/bentIdentity" }, { units: 1, activation: "sigmoid" }],
  }, { registry, seed: 1 });
  const x = { data: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), rows: 4, cols: 2 };
  const batch = { x, t: { data: new Float32Array([0, 1, 1, 0]), rows: 4, cols: 1 } };
  const step = createTrainStep(network, { loss: mse, optimizer: adam({ lr: 0.05 }), batchSize: 4 });
  const lossBefore = step.evaluate(batch).loss;
  for (let i = 0; i < 500; i++) step.run(batch);
  const lossAfter = step.evaluate(batch).loss;
  log(
    `trained 2-4-1 on XOR: mse ${lossBefore.toFixed(4)} -> ${
      lossAfter.toExponential(1)
    } in 500 steps`,
  );

  // 4. Save with fingerprints, load back checking them, predict.
  const hooks = modelFingerprintHooks();
  const text = JSON.stringify(
    toModelFile(network, { name: "xor-bent", fingerprint: hooks.fingerprint }),
  );
  log(
    `saved: ${text.length} bytes, ${bentIdentity.name} fingerprint ${
      hooks.fingerprint(bentIdentity)
    }`,
  );
  const loaded = fromModelFile(text, { registry, verify: hooks.verify });
  const predictions = Array.from(predict(loaded, x).data);
  const sameAfterReload = predictions.every((p, i) => p === predict(network, x).data[i]);
  log(
    `reloaded and predicted: ${
      predictions.map((p) => p.toFixed(3)).join(", ")
    } (targets 0, 1, 1, 0)`,
  );

  // 5. Loading against a plugin whose math changed is refused.
  const changed = elementwise({
    name: "myorg/bentIdentity",
    version: "1.1.0",
    f: (x) => (Math.sqrt(x * x + 1) - 1) / 3 + x,
    df: (x) => x / (3 * Math.sqrt(x * x + 1)) + 1,
  });
  let changedMath = "";
  try {
    fromModelFile(text, {
      registry: createRegistry([...builtinPlugins(), changed]),
      verify: hooks.verify,
    });
  } catch (e) {
    changedMath = (e as Error).message;
    log(`refused: ${changedMath}`);
  }
  return { refused, lossBefore, lossAfter, predictions, sameAfterReload, changedMath };
}

if (import.meta.main) customActivation(console.log);
