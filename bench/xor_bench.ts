// W2 xor-tiny: 5,000 steps of 2-8-1 (tanh, sigmoid), MSE, SGD at 0.5, full
// batch of 4, through train() against the same math written by hand; steps/s
// = 5000 / time per iteration.
import { createRegistry } from "../core/registry.ts";
import { builtinPlugins } from "../plugins/mod.ts";
import { handXor, trainXor } from "./_xor.ts";

const registry = createRegistry(builtinPlugins());
const group = "W2 xor-tiny, 5,000 epochs of one batch";

Deno.bench("hand-written loop (the floor)", { group, baseline: true }, () => {
  handXor(5000);
});
Deno.bench("train() with its defaults", { group }, async () => {
  await trainXor(registry, 5000);
});
