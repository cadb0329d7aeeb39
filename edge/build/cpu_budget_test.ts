import assert from "node:assert/strict";
import {
  CPU_HEADROOM,
  defaultMaxRows,
  formatCpuReport,
  MAX_ROWS,
  measureRowCost,
  multiplyAdds,
  rowsWithin,
} from "./cpu_budget.ts";
import { targets } from "./targets.ts";

const mnistLayers = [
  { inputs: 784, units: 128 },
  { inputs: 128, units: 64 },
  { inputs: 64, units: 10 },
];

Deno.test("multiplyAdds counts inputs × units over the layers: 109,184 for MNIST 784-128-64-10", () => {
  assert.equal(multiplyAdds({ layers: mnistLayers }), 109_184);
});

Deno.test("measureRowCost splits a request's time into a part per row and a fixed part, after warm-ups", async () => {
  // A fake handler on a fake clock: 0.5 ms a request, 0.2 ms a row, 3 ms more on its first call.
  let now = 0, calls = 0;
  const handler = async (req: Request) => {
    const { inputs } = await req.json();
    assert.equal(inputs[0].length, 6);
    now += 0.5 + 0.2 * inputs.length + (calls++ === 0 ? 3 : 0);
    return new Response("{}");
  };
  const cost = await measureRowCost(handler, 6, { clock: () => now, rows: 11 });
  assert.ok(Math.abs(cost.rowMs - 0.2) < 1e-9, String(cost.rowMs));
  assert.ok(Math.abs(cost.requestMs - 0.5) < 1e-9, String(cost.requestMs));
  assert.equal(calls, 2 * (5 + 7));
  const refusing = () => Promise.resolve(new Response('{"error":{}}', { status: 413 }));
  await assert.rejects(
    () => measureRowCost(refusing, 6),
    /Measuring the handler failed: it answered 413/,
  );
});

Deno.test("rowsWithin fits half of the limit, 0 when one row does not fit, at most MAX_ROWS", () => {
  assert.equal(CPU_HEADROOM, 0.5);
  assert.equal(rowsWithin({ rowMs: 0.17, requestMs: 0.05 }, 10), 29);
  assert.equal(rowsWithin({ rowMs: 20, requestMs: 0.05 }, 10), 0);
  assert.equal(rowsWithin({ rowMs: 0.17, requestMs: 0.05 }, 30_000), MAX_ROWS);
});

Deno.test("defaultMaxRows is a round batch for the strictest plan, from 1 to 1000", () => {
  const mnist = { rowMs: 0.17, requestMs: 0.05 };
  assert.equal(defaultMaxRows(mnist, targets.cloudflare.cpuLimits), 20);
  assert.equal(defaultMaxRows(mnist, targets.deno.cpuLimits), 100);
  assert.equal(defaultMaxRows(mnist, targets.supabase.cpuLimits), 1000);
  assert.equal(defaultMaxRows({ rowMs: 0.001, requestMs: 0 }, targets.cloudflare.cpuLimits), 1000);
  assert.equal(defaultMaxRows({ rowMs: 0.09, requestMs: 0 }, targets.cloudflare.cpuLimits), 50);
  assert.equal(defaultMaxRows({ rowMs: 50, requestMs: 0 }, targets.cloudflare.cpuLimits), 1);
});

Deno.test("every target names its CPU limits, strictest first, and where they come from", () => {
  for (const target of Object.values(targets)) {
    assert.ok(target.cpuLimits.length > 0, target.name);
    const ms = target.cpuLimits.map((l) => l.ms);
    assert.deepEqual(ms, [...ms].sort((a, b) => a - b), target.name);
    assert.match(target.cpuNote, /\.(com|dev)\//, target.name);
  }
  assert.deepEqual(targets.cloudflare.cpuLimits.map((l) => l.ms), [10, 30_000]);
  assert.deepEqual(targets.supabase.cpuLimits.map((l) => l.ms), [2_000]);
  assert.match(targets.deno.cpuLimits[0].note ?? "", /^assumed/);
  assert.match(targets.vercel.cpuLimits[0].note ?? "", /^assumed/);
});

Deno.test("formatCpuReport gives the cost of a row, the batch per plan and the bundle's --max-rows", () => {
  const report = {
    network: { layers: mnistLayers },
    cost: { rowMs: 0.17, requestMs: 0.05 },
    limits: targets.cloudflare.cpuLimits,
    note: targets.cloudflare.cpuNote,
  };
  const derived = formatCpuReport({ ...report, maxRows: 20, given: false });
  assert.match(
    derived[0],
    /^CPU per request: 109,184 multiply-adds a row; measured here after a warm-up \(the whole handler: .*\): 0\.170 ms a row \+ 0\.050 ms a request$/,
  );
  assert.equal(derived[1], "  Workers Free: 10 ms CPU: up to 29 rows");
  assert.match(
    derived[2],
    /^ {2}Workers Paid: 30 s CPU \(the default; .*\): up to 10,000 rows \(the most --max-rows allows\)$/,
  );
  assert.ok(
    derived.includes(
      "  --max-rows 20: the default, sized for Workers Free (about 3.5 ms per full request); pass --max-rows N (at most 10,000) to change it",
    ),
  );
  const given = formatCpuReport({ ...report, maxRows: 1000, given: true });
  assert.ok(
    given.includes(
      "  --max-rows 1,000: about 170 ms per full request; warning: too many for Workers Free",
    ),
    given.join("\n"),
  );
  const heavy = formatCpuReport({
    ...report,
    cost: { rowMs: 8, requestMs: 0 },
    maxRows: 1,
    given: false,
  });
  assert.equal(
    heavy[1],
    "  Workers Free: 10 ms CPU: not one row fits: use a smaller model or another plan",
  );
  assert.match(
    heavy.join("\n"),
    /--max-rows 1: the default, one row, though not even one fits Workers Free/,
  );
});
