/**
 * XOR: the four rows no single neuron can separate. One hidden layer of tanh
 * units bends the plane enough; a sigmoid output gives P(y = 1).
 *
 * Run: `deno run examples/xor.ts`
 *
 * @module
 */
import { filter, lastValueFrom, tap } from "rxjs";
import { createNetwork, createRegistry, inMemory, predict, train } from "../mod.ts";
import { adam, binaryCrossEntropy, builtinPlugins } from "../plugins/mod.ts";

/**
 * Trains a 2-4-1 network on XOR and returns its four outputs, in the order
 * (0,0), (0,1), (1,0), (1,1).
 *
 * @example
 * ```ts ignore
 * const out = await trainXor({ epochs: 300 });
 * out.map(Math.round); // [0, 1, 1, 0]
 * ```
 */
export async function trainXor(
  options: { epochs?: number; log?: (line: string) => void } = {},
): Promise<number[]> {
  const { epochs = 300, log } = options;

  // The data: four rows of two inputs, one 0/1 target each.
  const x = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
  const data = inMemory({ x, y: new Float32Array([0, 1, 1, 0]), inputs: 2, outputs: 1 });

  // Activations are looked up by name in a registry, a plain value.
  const registry = createRegistry(builtinPlugins());
  const network = createNetwork(
    { inputs: 2, layers: [{ units: 4, activation: "tanh" }, { units: 1, activation: "sigmoid" }] },
    { registry, seed: 1 },
  );

  // train() is a cold Observable of events: subscribing runs it. Here we log
  // every 50th epoch and wait for the last event.
  const events$ = train({
    network,
    loss: binaryCrossEntropy(),
    optimizer: adam({ lr: 0.05 }),
    data,
    epochs,
    batchSize: 4,
  });
  await lastValueFrom(
    events$.pipe(
      filter((e) => e.type === "epoch"),
      tap((e) => e.epoch % 50 === 0 && log?.(`epoch ${e.epoch}  loss ${e.loss.toFixed(4)}`)),
    ),
  );

  // Inference is a plain forward pass.
  return Array.from(predict(network, { data: x, rows: 4, cols: 2 }).data);
}

if (import.meta.main) {
  const out = await trainXor({ log: console.log });
  ["0 xor 0", "0 xor 1", "1 xor 0", "1 xor 1"].forEach((q, i) =>
    console.log(`${q} -> ${out[i].toFixed(3)}`)
  );
}
