import assert from "node:assert/strict";
import { startWorkers } from "./worker_pool.ts";

/**
 * Runs `body` (with `startWorkers` in scope) in a Deno process of its own and
 * expects it to end on its own, with success. It fails if the process is
 * still alive after 60 s: a guard against a hang, far beyond a slow start,
 * far below the 600 s idle timeouts the bodies give where a worker must not
 * outlive them.
 */
async function endsAlone(body: string): Promise<void> {
  const url = JSON.stringify(new URL("./worker_pool.ts", import.meta.url).href);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-lock", `import { startWorkers } from ${url};\n${body}`],
    stdout: "null",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const why = new TextDecoder().decode(out.stderr).trim();
  assert.ok(out.success, `the process failed or was still alive after 60 s: ${body}\n${why}`);
}

Deno.test("close ends the waiting workers, and a pool left alone ends after idleMs", async () => {
  // A waiting Worker keeps its process alive: these processes end only if the workers do.
  await endsAlone("startWorkers(2, { idleMs: 600_000 }).close();");
  await endsAlone("const p = startWorkers(1, { idleMs: 600_000 }); p.take().worker.terminate();");
  // Left alone, the pool ends its worker itself; a timer due before idleMs (timers fire in
  // the order they are due, however busy the machine) still finds it waiting.
  await endsAlone(
    "const p = startWorkers(1, { idleMs: 300 });" +
      "setTimeout(() => { if (p.size !== 1) throw new Error(`ended early: size ${p.size}`); }, 0);",
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
