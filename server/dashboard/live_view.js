// A live run in the dashboard: it trains on samples posted to the server,
// so it has no epochs; its charts plot the prequential window accuracy and
// loss (each sample scored before the model trained on it) against the
// samples seen, and its card shows the samples, the pending queue, the
// current model's download and Stop.
import { lineChart, RUN_COLORS } from "./charts.js";
import { downloadModel, el, FINAL, fmt, headCard, liveBadge } from "./run_cards.js";

/** The charts of a live run, in `accuracyEl` and `lossEl`. */
export function liveCharts(accuracyEl, lossEl) {
  const chart = (node, label, yLabel) =>
    lineChart(node, { series: [{ label, stroke: RUN_COLORS[0] }], xLabel: "samples", yLabel });
  return [
    chart(accuracyEl, "window accuracy", "accuracy"),
    chart(lossEl, "window loss", "loss"),
  ];
}

const finite = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The live charts' data from the run's window events: [[samples, accuracy], [samples, loss]]. */
export function liveData(run) {
  const x = run.windows.map((w) => w.samples);
  return [
    [x, run.windows.map((w) => finite(w.accuracy))],
    [x, run.windows.map((w) => finite(w.loss))],
  ];
}

/** Samples trained on so far: from the latest event, or the runs list. */
const samplesOf = (run) =>
  Math.max(run.batch?.samples ?? 0, run.windows.at(-1)?.samples ?? 0, run.summary?.samples ?? 0);

/** The head card of a plotted live run. */
export function liveHead(run) {
  const last = run.windows.at(-1);
  const download = FINAL.has(run.status) ? undefined : el("button", {
    textContent: "Download model",
    title: "the current weights, while it keeps learning",
    onclick: () => downloadModel(run.id).catch((e) => alert(e.message)),
  });
  const facts = [
    `${samplesOf(run).toLocaleString("en")} samples`,
    `${(run.summary?.pending ?? 0).toLocaleString("en")} pending`,
    last ? `window ${last.window}` : "no window yet",
    last?.accuracy !== undefined ? `acc ${fmt(last.accuracy * 100, 3)}%` : undefined,
    last ? `loss ${fmt(last.loss)}` : undefined,
  ];
  return headCard(run, 0, "", {
    facts,
    download,
    points: run.windows.length,
    badges: [liveBadge()],
  });
}
