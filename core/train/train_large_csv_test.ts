import assert from "node:assert/strict";

const MB = 2 ** 20;

// Trains in a child process whose V8 heap (old space 32 MB, young 3 x 4 MB) is
// smaller than the CSV: if the trainer kept the data or anything per row, V8
// would abort with "out of memory". rss is checked too, as the brief asks.
Deno.test("training on a generated 48 MB CSV stream runs in a heap smaller than the data", async () => {
  const child = new URL("../_testing/train_big_csv_child.ts", import.meta.url).pathname;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  const v8 = "--v8-flags=--max-old-space-size=32,--max-semi-space-size=4";
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "--no-prompt", `--config=${config}`, v8, child, "48"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, `child failed: ${new TextDecoder().decode(out.stderr).slice(0, 500)}`);
  const r = JSON.parse(new TextDecoder().decode(out.stdout));
  const growth = r.rssPeak - r.rssStart, late = r.rssPeak - r.rssQuarter;
  console.log(
    `${r.rows} rows, ${r.steps} steps; rss +${(growth / MB).toFixed(1)} MB in all, +${
      (late / MB).toFixed(1)
    } MB over the last 3/4, for ${r.bytes / MB} MB of CSV`,
  );
  assert.ok(r.rows > 600_000 && r.steps === Math.ceil(r.rows / 256));
  assert.ok(growth < r.bytes, `rss grew ${(growth / MB).toFixed(1)} MB`);
  assert.ok(late < r.bytes / 8, `rss grew ${(late / MB).toFixed(1)} MB after the first quarter`);
});
