import assert from "node:assert/strict";
import { startWorkers } from "./worker_pool.ts";

/** How long a Deno process running `body` (with `startWorkers` in scope) lives, in ms. */
async function lifetime(body: string): Promise<number> {
  const url = JSON.stringify(new URL("./worker_pool.ts", import.meta.url).href);
  const began = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", `import { startWorkers } from ${url};\n${body}`],
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(8000), // killed if a worker keeps it alive that long
  }).output();
  assert.ok(out.success, `the process failed or was still alive after 8 s: ${body}`);
  return performance.now() - began;
}

Deno.test("close ends the waiting workers, and a pool left alone ends after idleMs", async () => {
  // A waiting Worker keeps its process alive: these processes end only if the workers do.
  assert.ok(await lifetime("startWorkers(2).close();") < 4000);
  const idle = await lifetime("startWorkers(1, { idleMs: 300 });");
  assert.ok(idle >= 300 && idle < 4000, `${idle} ms`);
  assert.ok(
    await lifetime("const p = startWorkers(1, { idleMs: 60_000 }); p.take().worker.terminate();") <
      4000,
  );
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
