import assert from "node:assert/strict";
import { createPauser, nextStride } from "./_pauser.ts";

/** A fake clock in ms that the test moves on; `reads` counts how often the pauser looked at it. */
function fakeClock() {
  const clock = { ms: 0, reads: 0, now: () => (clock.reads++, clock.ms) };
  return clock;
}

/** Calls `due()` `calls` times, each after `msPerCall` of fake work; gives the calls that got a turn (1-based). */
async function turnsOver(calls: number, msPerCall: number, everyMs: number) {
  const clock = fakeClock();
  const pauser = createPauser(everyMs, new AbortController().signal, { now: clock.now });
  const turns: number[] = [];
  for (let call = 1; call <= calls; call++) {
    clock.ms += msPerCall;
    const turn = pauser.due();
    if (turn) await turn, turns.push(call);
  }
  return { turns, reads: clock.reads };
}

Deno.test("a pauser gives a turn after every everyMs of work on its clock, and none before", async () => {
  const { turns } = await turnsOver(100, 1, 25);
  assert.deepEqual(turns, [25, 50, 75, 100]);
});

Deno.test("a pauser reads a clock rarely when calls are fast, yet turns at most 64 calls late", async () => {
  // 1/1024 ms a call: 25,600 calls make the 25 ms budget (exact in binary).
  const perTurn = 25 * 1024, { turns, reads } = await turnsOver(4 * perTurn, 1 / 1024, 25);
  assert.equal(turns.length, 4);
  turns.forEach((call, i) => {
    const due = (i + 1) * perTurn;
    assert.ok(call >= due && call <= due + 64, `turn ${i + 1} at call ${call}, due at ${due}`);
  });
  assert.ok(reads < turns.at(-1)! / 10, `${reads} clock reads for ${turns.at(-1)} calls`);
});

Deno.test("a pauser turns at most 64 calls late when fast calls suddenly get slow", async () => {
  const clock = fakeClock();
  const pauser = createPauser(25, new AbortController().signal, { now: clock.now });
  for (let call = 0; call < 1000; call++) { // 1 ms of fast calls: the clock is read rarely
    clock.ms += 1 / 1024;
    assert.equal(pauser.due(), undefined);
  }
  let calls = 0, turn: Promise<void> | undefined;
  while (!turn) clock.ms += 10, calls++, turn = pauser.due(); // 10 ms a call from now on
  await turn;
  // The budget ran out during the 3rd slow call; the pauser noticed by the 64th call after.
  assert.ok(calls >= 3 && calls <= 3 + 64, `a turn after ${calls} slow calls`);
});

Deno.test("a pauser's turn is a macrotask: a timer armed before it runs first", async () => {
  const clock = fakeClock();
  const pauser = createPauser(1, new AbortController().signal, { now: clock.now });
  const order: string[] = [];
  setTimeout(() => order.push("timer"), 0);
  clock.ms += 1;
  const turn = pauser.due();
  assert.ok(turn, "a turn is due");
  Promise.resolve().then(() => order.push("microtask"));
  await turn;
  order.push("turn");
  assert.deepEqual(order, ["microtask", "timer", "turn"]);
});

Deno.test("aborting ends a pending turn at once, leaves no timer, and no turn follows", async () => {
  const clock = fakeClock(), controller = new AbortController();
  const pauser = createPauser(1, controller.signal, { now: clock.now });
  clock.ms += 1;
  const turn = pauser.due();
  assert.ok(turn, "a turn is due");
  let ended = false;
  turn.then(() => (ended = true));
  controller.abort();
  await Promise.resolve(); // one microtask: no timer could have run meanwhile
  assert.ok(ended, "the turn ended with the abort");
  clock.ms += 100;
  assert.equal(pauser.due(), undefined);
  // Deno.test's sanitizer fails this test if the turn's timer were still pending.
});

Deno.test("nextStride fits the target at the measured pace, at most doubling, within 1..max", () => {
  assert.equal(nextStride(4, 0.01, 0.25, 64), 8); // fits 100, but at most double
  assert.equal(nextStride(64, 0.08, 0.25, 64), 64); // fits 200, capped at max
  assert.equal(nextStride(10, 1, 0.25, 64), 3); // 2.5 rounds to 3 (slower calls: fewer)
  assert.equal(nextStride(1, 5, 0.25, 64), 1); // never below 1
  assert.equal(nextStride(3, 0, 0.25, 64), 6); // no measurable time: grow (doubling still applies)
});
