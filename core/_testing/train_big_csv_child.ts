// Child process of train_large_csv_test.ts: trains one epoch on a generated CSV
// of `Deno.args[0]` MB and prints rows, steps and rss (at the start, a quarter
// of the way and at its peak) as JSON. The test caps the child's V8 heap below
// the CSV's size.
import { lastValueFrom, tap } from "rxjs";
import { fromCsv } from "../data/from_csv.ts";
import { train } from "../train/train.ts";
import type { TrainEvent } from "../train/train_events.ts";
import { fakeMse, fakeSgd } from "./fakes.ts";
import { CSV_FEATURES, generatedCsv } from "./generated_csv.ts";
import { net } from "./train_fakes.ts";

const bytes = Number(Deno.args[0]) * 2 ** 20;
const rssStart = Deno.memoryUsage().rss;
let rssQuarter = 0, rssPeak = rssStart, rows = 0, steps = 0;
const quarter = bytes / 4 / 80; // rows are about 80 bytes
await lastValueFrom(
  train({
    network: net({
      inputs: CSV_FEATURES,
      layers: [{ units: 4, activation: "tanh" }, { units: 1 }],
    }),
    loss: fakeMse,
    optimizer: fakeSgd(0.05),
    data: fromCsv(generatedCsv(bytes), { target: "target" }),
    epochs: 1,
    batchSize: 256,
  }).pipe(tap((e: TrainEvent) => {
    if (e.type !== "batch") return;
    rows = e.samples, steps = e.step;
    if (e.batch % 50 === 0) {
      const rss = Deno.memoryUsage().rss;
      rssPeak = Math.max(rssPeak, rss);
      if (!rssQuarter && rows >= quarter) rssQuarter = rss;
    }
  })),
);
console.log(JSON.stringify({ rows, steps, bytes, rssStart, rssQuarter, rssPeak }));
