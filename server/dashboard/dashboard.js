// The training dashboard: runs list, live charts from each plotted run's
// event stream, overlay of two runs, stop and model download. A live run
// (one that trains on posted samples) is plotted alone, against samples.
import { adoptUrlToken, api, followRun, setToken } from "./api.js";
import { DASH, epochColumn, LAYER_COLORS, lineChart, RUN_COLORS } from "./charts.js";
import { runHead, runItem } from "./run_cards.js";
import { liveCharts, liveData, liveHead } from "./live_view.js";
import { setupRunForm } from "./run_form.js";

const $ = (selector) => document.querySelector(selector);
const runs = new Map(); // id -> { id, summary, status, points, windows, batch, end, error, connection, close }
let plotted = []; // ids of the plotted runs, oldest first, at most two
let charts = [];
let drawQueued = false;

const layerCount = (run) => run.summary?.layers?.split(",").length ?? 0;
const tag = (i) => (plotted.length > 1 ? `${"AB"[i]} ` : "");
const isLive = (id) => runs.get(id)?.summary?.live === true;
const showsLive = () => plotted.some(isLive);

function runView(id) {
  if (!runs.has(id)) {
    runs.set(id, { id, status: "queued", points: [], windows: [], connection: "closed" });
  }
  return runs.get(id);
}

function follow(run) {
  if (run.close) return;
  run.close = followRun(run.id, {
    status: (d) => {
      run.status = d.status;
      if (d.epochs) run.epochs = d.epochs;
      queueDraw();
    },
    epoch: (d) => {
      run.points.push(d);
      queueDraw();
    },
    batch: (d) => {
      run.batch = d;
      queueDraw();
    },
    window: (d) => {
      run.windows.push(d);
      queueDraw();
    },
    end: (d) => (run.end = d),
    error: (d) => (run.error = d.message),
    connection: (state) => {
      run.connection = state;
      queueDraw();
    },
  });
}

const column = (run, pick, n) => epochColumn(run.points, pick, n);

function rebuildCharts() {
  for (const c of charts) c.destroy();
  $("#epoch-charts").hidden = showsLive();
  $("#live-charts").hidden = !showsLive();
  if (showsLive()) {
    charts = liveCharts($("#chart-window-accuracy"), $("#chart-window-loss"));
    return draw();
  }
  const views = plotted.map((id) => runs.get(id));
  const pairs = (what) =>
    views.flatMap((_, i) => [
      { label: `${tag(i)}${what}`, stroke: RUN_COLORS[i] },
      { label: `${tag(i)}validation`, stroke: RUN_COLORS[i], dash: DASH },
    ]);
  const grads = views.flatMap((run, i) =>
    Array.from({ length: layerCount(run) }, (_, l) => ({
      label: `${tag(i)}layer ${l + 1}`,
      stroke: LAYER_COLORS[l % LAYER_COLORS.length],
      dash: i === 1 ? DASH : undefined,
    }))
  );
  charts = [
    lineChart($("#chart-loss"), { series: pairs("training"), yLabel: "loss" }),
    lineChart($("#chart-accuracy"), { series: pairs("training"), yLabel: "accuracy" }),
    lineChart($("#chart-lr"), {
      series: views.map((_, i) => ({ label: `${tag(i)}lr`, stroke: RUN_COLORS[i] })),
      yLabel: "lr",
    }),
    lineChart($("#chart-grads"), { series: grads, yLabel: "‖∂L/∂W‖", log: true }),
  ];
  draw();
}

function draw() {
  drawQueued = false;
  const views = plotted.map((id) => runs.get(id));
  if (showsLive()) {
    liveData(views[0]).forEach((data, i) => charts[i].setData(data));
    return renderAll(views);
  }
  const n = Math.max(0, ...views.flatMap((r) => r.points.map((p) => p.epoch)));
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const positive = (v) => (v > 0 ? v : null);
  // An epoch too short to measure alone repeats an earlier one's norms: plot the measured ones.
  const measured = (p, l) => (p.measuredEpoch === undefined ? p.layers?.[l]?.gradNorm : null);
  const data = [
    views.flatMap((r) => [column(r, (p) => p.loss, n), column(r, (p) => p.valLoss, n)]),
    views.flatMap((r) => [column(r, (p) => p.accuracy, n), column(r, (p) => p.valAccuracy, n)]),
    views.map((r) => column(r, (p) => p.lr, n)),
    views.flatMap((r) =>
      Array.from(
        { length: layerCount(r) },
        (_, l) => column(r, (p) => positive(measured(p, l)), n),
      )
    ),
  ];
  charts.forEach((chart, i) => chart.setData([x, ...data[i]]));
  renderAll(views);
}

function renderAll(views) {
  $("#empty").hidden = views.length > 0;
  renderHeads(views);
  renderList();
}

function queueDraw() {
  if (!drawQueued) {
    drawQueued = true;
    requestAnimationFrame(draw);
  }
}

function renderHeads(views) {
  $("#heads").replaceChildren(
    ...views.map((run, i) => (run.summary?.live ? liveHead(run) : runHead(run, i, tag(i)))),
  );
}

function renderList() {
  const list = [...runs.values()].filter((r) => r.summary).sort((a, b) =>
    b.summary.createdAt.localeCompare(a.summary.createdAt)
  );
  $("#runs").replaceChildren(
    ...list.map((run) => runItem(run, plotted.indexOf(run.id), () => togglePlot(run.id))),
  );
}

function togglePlot(id) {
  if (plotted.includes(id)) plotted = plotted.filter((p) => p !== id);
  else if (isLive(id) || showsLive()) plotted = [id]; // samples and epochs share no axis
  else plotted = [...plotted, id].slice(-2);
  for (const run of runs.values()) {
    if (plotted.includes(run.id)) follow(run);
    else if (run.close) {
      run.close();
      run.close = undefined;
      run.points = []; // the next follow replays them from the server
      run.windows = [];
    }
  }
  rebuildCharts();
}

async function refreshRuns() {
  const { runs: list } = await api("/api/runs");
  for (const summary of list) {
    const run = runView(summary.id);
    run.summary = summary;
    if (!run.close) run.status = summary.status; // a followed run knows better
  }
  renderList();
}

async function main() {
  adoptUrlToken();
  $("#token-bar").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(event.target.elements.token.value.trim());
    location.reload();
  });
  try {
    await setupRunForm($("#run-form"), {
      onStarted: async (id) => {
        await refreshRuns();
        if (!plotted.includes(id)) togglePlot(id);
      },
    });
    await refreshRuns();
  } catch (error) {
    if (error.status === 401) $("#token-bar").hidden = false;
    else throw error;
    return;
  }
  const newest = [...runs.values()].find((r) => r.status === "running") ?? [...runs.values()][0];
  if (newest) togglePlot(newest.id);
  else rebuildCharts();
  setInterval(() => refreshRuns().catch(() => {}), 3000);
}

// For tests and the curious: what the charts hold.
globalThis.nagareDashboard = {
  epochs: (id) => runs.get(id)?.points.map((p) => p.epoch) ?? [],
  plotted: () => [...plotted],
  windows: (id) => runs.get(id)?.windows.map((w) => w.samples) ?? [],
  /** What the chart in element `id` draws: uPlot's [x[], ...y[]]. */
  chartData: (id) => charts.find((c) => c.el.id === id)?.data(),
};

main();
