import assert from "node:assert/strict";
import { startWorkers } from "./worker_pool.ts";

Deno.test("a pool ends the workers no run took after idleMs", async () => {
  const pool = startWorkers(2, { idleMs: 20 });
  assert.equal(pool.size, 2);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(pool.size, 0);
  assert.equal(pool.take(), undefined);
});

Deno.test("take hands out each worker once and close ends the rest", () => {
  const pool = startWorkers(2);
  const taken = pool.take();
  assert.ok(taken?.worker instanceof Worker);
  assert.equal(pool.size, 1);
  pool.close();
  assert.equal(pool.size, 0);
  taken!.worker.terminate();
});

Deno.test("startWorkers checks its count and idleMs", () => {
  assert.throws(() => startWorkers(-1), /Invalid count: -1 must be a whole number in 0\.\.255/);
  assert.throws(() => startWorkers(1, { idleMs: -5 }), /Invalid idleMs: -5 must be 0 or more/);
  assert.equal(startWorkers(0).size, 0);
});
