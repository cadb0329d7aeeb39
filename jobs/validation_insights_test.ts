import assert from "node:assert/strict";
import { lastValueFrom } from "rxjs";
import type { DataSource, MemorySource } from "../core/data/data_source.ts";
import { parseRunConfig } from "./run_config.ts";
import { runJob } from "./run_job.ts";
import { readRows, validationInsights } from "./validation_insights.ts";

Deno.test("readRows encodes the rows a memory source keeps in compact form (a csv table's cache)", async () => {
  // Row r encodes as x = [r, 10 r], y one-hot of r % 3: as a table cache's encodeRows would.
  const source: MemorySource = {
    kind: "memory",
    x: new Float32Array(0),
    y: new Float32Array(0),
    inputs: 2,
    outputs: 3,
    size: 5,
    encodeRows(order, into) {
      order.forEach((r, i) => {
        into.x.set([r, 10 * r], i * 2);
        into.t.set([0, 1, 2].map((c) => Number(c === r % 3)), i * 3);
      });
    },
  };
  const rows = await readRows(source, 2, 3, 4);
  assert.equal(rows.rows, 4);
  assert.deepEqual([...rows.x], [0, 0, 1, 10, 2, 20, 3, 30]);
  assert.deepEqual([...rows.y], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
});

Deno.test("readRows turns class labels into one-hot rows and stops at maxRows", async () => {
  let closed = false;
  const source: DataSource = {
    kind: "stream",
    name: "labels",
    open: function* () {
      try {
        for (let r = 0; r < 100; r++) yield { x: [r, -r, 99], y: r % 3 };
      } finally {
        closed = true;
      }
    },
  };
  const rows = await readRows(source, 2, 3, 4);
  assert.equal(rows.rows, 4);
  assert.deepEqual([...rows.x], [0, -0, 1, -1, 2, -2, 3, -3], "the first `inputs` values of a row");
  assert.deepEqual([...rows.y], [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
  assert.ok(closed, "the stream was closed after maxRows");
});

/** Trains a job on `csv` (columns a and label) to its end and returns its validation insights. */
async function insightsOf(
  csv: string,
): Promise<{ insights: Awaited<ReturnType<typeof validationInsights>>; validation: number }> {
  const config = parseRunConfig({
    dataset: { csv: "data.csv", target: "label" },
    validationSplit: 0.25,
    epochs: 2,
    backend: "ts",
  });
  const job = await runJob(config, { open: () => new Blob([csv]).stream() });
  await lastValueFrom(job.events$);
  return { insights: await validationInsights(job), validation: job.samples.validation ?? 0 };
}

Deno.test("a csv classifier's insights are a confusion matrix on its validation rows", async () => {
  const lines = Array.from({ length: 80 }, (_, i) => `${i / 80},${i % 2 ? "yes" : "no"}`);
  const { insights, validation } = await insightsOf(`a,label\n${lines.join("\n")}\n`);
  assert.ok(validation > 0 && validation < 80, `${validation} validation rows`);
  assert.equal(insights?.set, "validation");
  const counts = insights!.confusion!.counts;
  assert.equal(counts.length, 2);
  assert.equal(counts.flat().reduce((a, b) => a + b, 0), validation, "every validation row once");
});

Deno.test("a csv regression has no validation insights", async () => {
  const lines = Array.from({ length: 80 }, (_, i) => `${i / 80},${3 * i}`);
  const { insights, validation } = await insightsOf(`a,label\n${lines.join("\n")}\n`);
  assert.ok(validation > 0);
  assert.equal(insights, undefined);
});
