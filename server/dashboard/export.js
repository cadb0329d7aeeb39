// Downloads made in the page: a run's epoch metrics as CSV and a chart as PNG.

/** The columns of the metrics CSV, in order. */
export const CSV_COLUMNS = [
  "epoch",
  "loss",
  "valLoss",
  "accuracy",
  "valAccuracy",
  "lr",
  "samplesPerSec",
  "elapsedMs",
];

/** Epoch events as CSV text: a header, then one line per epoch; empty cells where a value is missing. */
export function metricsCsv(points) {
  const cell = (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : "");
  return [CSV_COLUMNS.join(","), ...points.map((p) => CSV_COLUMNS.map((c) => cell(p[c])).join(","))]
    .join("\n") + "\n";
}

/** Saves `blob` as a file named `name`. */
export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves run `run`'s epoch metrics as nagare-<id>-metrics.csv. */
export const saveMetricsCsv = (run) =>
  saveBlob(
    new Blob([metricsCsv(run.points)], { type: "text/csv" }),
    `nagare-${run.id}-metrics.csv`,
  );

/** Saves `chart` (from lineChart or mountPlot) as nagare-<name>.png. */
export async function saveChartPng(chart, name) {
  saveBlob(await chart.png(), `nagare-${name}.png`);
}
