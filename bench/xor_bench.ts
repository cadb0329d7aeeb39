// W2 xor-tiny: 5,000 steps of 2-8-1 (tanh, sigmoid), MSE, SGD at 0.5, full
// batch of 4; steps/s = 5000 / time per iteration. From the floor up: the
// math fused by hand, by hand layer by layer, the bare training step in a
// loop, and train() (shuffling, batch copies, per-layer norms, events).
import { createRegistry } from "../core/checks/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { handXor, handXorLayers, stepXor, trainXor } from "./_xor.ts";

const registry = createRegistry(builtinPlugins());
const group = "W2 xor-tiny, 5,000 epochs of one batch";

Deno.bench("hand-written loop (the floor)", { group, baseline: true }, () => {
  handXor(5000);
});
Deno.bench("hand-written, layer by layer", { group }, () => {
  handXorLayers(5000);
});
Deno.bench("createTrainStep in a loop (no trainer)", { group }, () => {
  stepXor(registry, 5000);
});
Deno.bench("train() without batch events", { group }, async () => {
  await trainXor(registry, 5000, { batchEvents: false });
});
Deno.bench("train() with its defaults", { group }, async () => {
  await trainXor(registry, 5000);
});
