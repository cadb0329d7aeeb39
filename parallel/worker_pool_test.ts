import assert from "node:assert/strict";
import { startWorkers } from "./worker_pool.ts";

/**
 * Runs `body` (with `startWorkers` in scope) in a Deno process of its own and
 * gives how long it lived, in ms. It fails if the process is still alive after
 * 60 s: a guard against a hang, far beyond a slow start, far below the
 * 600 s idle timeouts the bodies give where a worker must not outlive them.
 */
async function lifetime(body: string): Promise<number> {
  const url = JSON.stringify(new URL("./worker_pool.ts", import.meta.url).href);
  const began = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", `import { startWorkers } from ${url};\n${body}`],
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert.ok(out.success, `the process failed or was still alive after 60 s: ${body}`);
  return performance.now() - began;
}

Deno.test("close ends the waiting workers, and a pool left alone ends after idleMs", async () => {
  // A waiting Worker keeps its process alive: these processes end only if the workers do.
  await lifetime("startWorkers(2, { idleMs: 600_000 }).close();");
  await lifetime("const p = startWorkers(1, { idleMs: 600_000 }); p.take().worker.terminate();");
  // A timer never fires early, however busy the machine: this one cannot pass too soon.
  const idle = await lifetime("startWorkers(1, { idleMs: 300 });");
  assert.ok(idle >= 300, `the process ended after ${idle} ms, before idleMs`);
});

Deno.test("take hands out each worker once; the pool counts what is left", () => {
  const pool = startWorkers(2, { idleMs: 20 });
  const taken = pool.take();
  assert.ok(taken?.worker instanceof Worker);
  assert.equal(pool.size, 1);
  pool.close();
  assert.equal(pool.size, 0);
  assert.equal(pool.take(), undefined);
  taken!.worker.terminate();
});

Deno.test("startWorkers checks its count and idleMs", () => {
  assert.throws(() => startWorkers(-1), /Invalid count: -1 must be a whole number in 0\.\.255/);
  assert.throws(() => startWorkers(1, { idleMs: -5 }), /Invalid idleMs: -5 must be 0 or more/);
  assert.equal(startWorkers(0).size, 0);
});
