import assert from "node:assert/strict";
import { openStateDb } from "./state_db.ts";
import { memorySweepStore, stateDbSweepStore, type SweepStore } from "./sweep_store.ts";
import type { TrialResult } from "./sweep_runner.ts";

const trials: TrialResult[] = [
  { index: 0, id: "r0", params: { lr: 0.1 }, status: "done", epochs: 6, metric: 0.9 },
  { index: 1, id: "r1", params: { lr: 0.01 }, status: "stopped", epochs: 2, stoppedAt: 2 },
  { index: 2, params: { lr: 0.001 }, status: "pending", epochs: 0 },
];
const decisions = [
  { trial: 0, rung: 2, value: 0.8, decision: "continue" as const },
  { trial: 1, rung: 2, value: 0.5, decision: "stop" as const },
];
const record = {
  id: "s1",
  file: { method: "grid", run: { dataset: "iris" } },
  createdAt: "2026-12-07T00:00:00.000Z",
  status: "running" as const,
  trials: [],
  decisions: [],
};

async function withStores(fn: (sweeps: SweepStore, reopen: () => SweepStore) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  const dbs = [openStateDb(dir)];
  try {
    await fn(stateDbSweepStore(dbs[0]), () => {
      dbs.push(openStateDb(dir));
      return stateDbSweepStore(dbs.at(-1)!);
    });
  } finally {
    for (const db of dbs) db.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a sweep saved in the state database reads back with its trials and decisions in order", async () => {
  await withStores(async (sweeps, reopen) => {
    await sweeps.insert(record, "a", 1000);
    assert.equal(await sweeps.save("s1", { status: "running", trials, decisions }, "a"), true);
    const [read] = await reopen().list();
    assert.deepEqual(read, {
      ...record,
      trials,
      decisions,
      stopRequested: false,
      owner: "a",
      leaseUntil: 1000,
    });
  });
});

Deno.test("only the owner of a sweep's lease saves it", async () => {
  await withStores(async (sweeps) => {
    await sweeps.insert(record, "a", 1000);
    assert.equal(await sweeps.save("s1", { status: "done", trials, decisions }, "b"), false);
    assert.equal((await sweeps.list())[0].status, "running");
  });
});

Deno.test("a sweep's lease is renewed by its owner, refused to others until it expires, then taken", async () => {
  await withStores(async (sweeps) => {
    await sweeps.insert(record, "a", 1000);
    assert.equal(await sweeps.lease("s1", "a", 2000, 1500), true, "the owner renews");
    assert.equal(await sweeps.lease("s1", "b", 3000, 1999), false, "not expired: refused");
    assert.equal(await sweeps.lease("s1", "b", 3000, 2001), true, "expired: taken");
    assert.equal((await sweeps.list())[0].owner, "b");
    assert.equal(await sweeps.takeOver("s1", "c", 4000, "a"), false, "b holds it now, not a");
    assert.equal(await sweeps.takeOver("s1", "c", 4000, "b"), true, "b is dead: c takes it");
    await sweeps.release("s1", "c");
    assert.equal((await sweeps.list())[0].owner, undefined);
    assert.equal(await sweeps.lease("s1", "d", 5000, 0), true, "a released sweep is free");
  });
});

Deno.test("a claim writes a sweep's state only while its owner's lease has not expired", async () => {
  const claimed = { status: "running" as const, trials, decisions };
  const check = async (sweeps: SweepStore) => {
    await sweeps.insert(record, "a", 1000);
    assert.equal(await sweeps.claim("s1", claimed, "a", 1001), false, "expired: refused");
    assert.deepEqual((await sweeps.list())[0].trials, [], "nothing written");
    assert.equal(await sweeps.claim("s1", claimed, "b", 999), false, "not the owner: refused");
    assert.equal(await sweeps.claim("s1", claimed, "a", 1000), true, "held: written");
    assert.deepEqual((await sweeps.list())[0].trials, trials);
  };
  await check(memorySweepStore());
  await withStores(check);
});

Deno.test("a finished sweep takes no lease", async () => {
  await withStores(async (sweeps) => {
    await sweeps.insert(record, "a", 1000);
    await sweeps.save("s1", { status: "done", trials, decisions }, "a");
    await sweeps.release("s1", "a");
    assert.equal(await sweeps.lease("s1", "b", 3000, 0), false);
    assert.equal(await sweeps.takeOver("s1", "b", 3000, undefined), false);
  });
});

Deno.test("a stop asked for by any process is read by the sweep's driver", async () => {
  await withStores(async (sweeps, reopen) => {
    await sweeps.insert(record, "a", 1000);
    await reopen().requestStop("s1");
    assert.equal((await sweeps.list())[0].stopRequested, true);
  });
});

Deno.test("a sweep row that cannot be read is skipped with a message naming the field", async () => {
  const dir = await Deno.makeTempDir();
  const db = openStateDb(dir);
  const errors: string[] = [];
  const original = console.error;
  console.error = (message: string) => void errors.push(message);
  try {
    const sweeps = stateDbSweepStore(db);
    await sweeps.insert(record, "a", 1000);
    await sweeps.insert({ ...record, id: "s2" }, "a", 1000);
    db.saveSweep({ id: "s2", status: "running", trials: '[{"index":"x"}]', decisions: "[]" }, "a");
    assert.deepEqual((await sweeps.list()).map((s) => s.id), ["s1"]);
    assert.match(
      errors.join("\n"),
      /skipping a sweep of .*runs\.db: Invalid sweep record: trials\.0\.index/,
    );
  } finally {
    console.error = original;
    db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sweeps in memory follow the same lease rules", async () => {
  const sweeps = memorySweepStore();
  await sweeps.insert(record, "a", 1000);
  assert.equal(await sweeps.save("s1", { status: "running", trials, decisions }, "b"), false);
  assert.equal(await sweeps.lease("s1", "b", 3000, 999), false);
  assert.equal(await sweeps.lease("s1", "b", 3000, 1001), true);
  assert.equal(await sweeps.save("s1", { status: "done", trials, decisions }, "b"), true);
  assert.deepEqual((await sweeps.list())[0].decisions, decisions);
  assert.equal(await sweeps.lease("s1", "c", 5000, 9999), false, "done: no lease");
});
