import assert from "node:assert/strict";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { net } from "../_testing/train_fakes.ts";
import { inMemory } from "../data/in_memory.ts";
import { train } from "./train.ts";

Deno.test("a server in the same process answers within 100 ms while training runs", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response("ok"),
  );
  const rows = 2048, inputs = 256;
  const x = new Float32Array(rows * inputs).map((_, i) => ((i * 7919) % 1000) / 1000);
  const network = net({ inputs, layers: [{ units: 128, activation: "relu" }, { units: 10 }] });
  let steps = 0;
  const sub = train({
    network,
    loss: fakeMse,
    optimizer: fakeSgd(0.001),
    data: inMemory({ x, y: new Float32Array(rows * 10), inputs, outputs: 10 }),
    epochs: 1000,
    batchSize: 64,
  }).subscribe((e) => void (e.type === "batch" && steps++));
  try {
    const url = `http://127.0.0.1:${server.addr.port}/`;
    const latencies: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      assert.equal(await (await fetch(url)).text(), "ok");
      latencies.push(performance.now() - t0);
    }
    const worst = Math.max(...latencies);
    console.log(
      `latency ms: median ${latencies.sort((a, b) => a - b)[7].toFixed(1)}, worst ${
        worst.toFixed(1)
      }; ${steps} steps meanwhile`,
    );
    assert.ok(steps > 15, `training kept going (${steps} steps)`);
    assert.ok(worst < 100, `worst latency ${worst.toFixed(1)} ms`);
  } finally {
    sub.unsubscribe();
    await server.shutdown();
  }
});
