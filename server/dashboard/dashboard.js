// The training dashboard: the runs table, live charts from each overlaid
// run's event stream (any number of runs, each in its own color for good),
// stop and downloads. The overlaid runs and their colors live in the URL.
// A live run (one that trains on posted samples) is plotted alone, against samples.
import { adoptUrlToken, api, followRun, setToken } from "./api.js";
import { DASH, epochColumn, LAYER_DASHES, lineChart, RUN_COLORS } from "./charts.js";
import { decisionMaps } from "./decision_map.js";
import { insightsView } from "./insights_view.js";
import { saveChartPng } from "./export.js";
import { FINAL, runHead } from "./run_cards.js";
import { reconcile } from "./morph.js";
import { liveCharts, liveData, liveHead } from "./live_view.js";
import { setupRunForm } from "./run_form.js";
import {
  claimColor,
  keepColor,
  letterOf,
  readSelection,
  rename,
  writeSelection,
} from "./run_identity.js";
import { rowOf, runNames } from "./run_rows.js";
import { runTable } from "./run_table.js";
import { alignTables, stepTable } from "./step_series.js";

const $ = (selector) => document.querySelector(selector);
// id -> { id, summary, detail, status, points, batches, windows, batch, end, test, error, connection, close, letterIndex }
const runs = new Map();
let selected = []; // [{ id, color }] in the order they were ticked
let charts = [];
let builtFor = "";
let drawQueued = false;
let smoothing = 0.6;
let maps = { probabilities: {}, epochs: {} };
const updateMaps = decisionMaps(
  document.querySelector("#decision-maps"),
  (id) => api(`/api/runs/${encodeURIComponent(id)}/model`),
);

const layerCount = (run) => run.summary?.layers?.split(",").length ?? 0;
const isLive = (id) => runs.get(id)?.summary?.live === true;
const showsLive = () => selected.some((s) => isLive(s.id));
const colorOf = (id) => selected.find((s) => s.id === id)?.color;
const overlaid = () =>
  selected.filter((s) => runs.has(s.id)).map((s) =>
    Object.assign(runs.get(s.id), { color: s.color })
  );

function runView(id) {
  if (!runs.has(id)) {
    runs.set(id, {
      id,
      status: "queued",
      points: [],
      batches: [],
      windows: [],
      connection: "closed",
    });
  }
  return runs.get(id);
}

function follow(run) {
  if (run.close) return;
  run.close = followRun(run.id, {
    status: (d) => {
      run.status = d.status;
      if (d.epochs) run.epochs = d.epochs;
      if (FINAL.has(d.status)) loadDetail(run);
      queueDraw();
    },
    epoch: (d) => {
      run.points.push(d);
      queueDraw();
    },
    batch: (d) => {
      run.batch = d;
      run.batches.push({ step: d.step, loss: d.loss });
      queueDraw();
    },
    window: (d) => {
      run.windows.push(d);
      queueDraw();
    },
    end: (d) => {
      run.end = d;
      if (d.test) run.test = d.test;
    },
    error: (d) => (run.error = d.message),
    connection: (state) => {
      run.connection = state;
      queueDraw();
    },
  });
}

function unfollow(run) {
  if (!run.close) return;
  run.close();
  run.close = undefined;
  run.points = []; // the next follow replays them from the server
  run.batches = [];
  run.windows = [];
}

/** Fetches the run's config and test scores (once, and again when it has finished). */
async function loadDetail(run) {
  if (run.detailFor === run.status) return;
  run.detailFor = run.status;
  try {
    run.detail = await api(`/api/runs/${encodeURIComponent(run.id)}`);
    queueDraw();
  } catch {
    run.detailFor = undefined; // try again at the next refresh
  }
}

function labels() {
  const views = overlaid();
  const names = runNames(views, views);
  return new Map(views.map((r) => [r.id, `${letterOf(r.letterIndex)} ${names.get(r.id)}`]));
}

function buildCharts(key, views, label) {
  builtFor = key;
  for (const c of charts) c.destroy();
  $("#epoch-charts").hidden = showsLive();
  $("#live-charts").hidden = !showsLive();
  if (showsLive()) {
    charts = liveCharts($("#chart-window-accuracy"), $("#chart-window-loss"));
    return;
  }
  const color = (r) => RUN_COLORS[r.color];
  const letter = (r) => letterOf(r.letterIndex);
  const pairs = views.flatMap((r) => [
    { label: `${label.get(r.id)} · training`, stroke: color(r) },
    { label: `${letter(r)} · validation`, stroke: color(r), dash: DASH },
  ]);
  const steps = views.flatMap((r) => [
    { label: `${letter(r)} raw`, stroke: `${color(r)}66`, width: 1 },
    { label: label.get(r.id), stroke: color(r) },
  ]);
  const grads = views.flatMap((r) =>
    Array.from({ length: layerCount(r) }, (_, l) => ({
      label: `${letter(r)} layer ${l + 1}`,
      stroke: color(r),
      dash: LAYER_DASHES[l % LAYER_DASHES.length],
    }))
  );
  charts = [
    lineChart($("#chart-steps"), { series: steps, xLabel: "step", yLabel: "loss" }),
    lineChart($("#chart-loss"), { series: pairs, yLabel: "loss" }),
    lineChart($("#chart-accuracy"), { series: pairs, yLabel: "accuracy" }),
    lineChart($("#chart-lr"), {
      series: views.map((r) => ({ label: label.get(r.id), stroke: color(r) })),
      yLabel: "lr",
    }),
    lineChart($("#chart-grads"), { series: grads, yLabel: "‖∂L/∂W‖", log: true }),
  ];
}

function draw() {
  drawQueued = false;
  const views = overlaid();
  const label = labels();
  const key = JSON.stringify([showsLive(), views.map((r) => [r.id, r.color, layerCount(r)]), [
    ...label,
  ]]);
  if (key !== builtFor) buildCharts(key, views, label);
  if (showsLive()) {
    liveData(views[0]).forEach((data, i) => charts[i].setData(data));
    return renderAll(views, label);
  }
  const n = Math.max(0, ...views.flatMap((r) => r.points.map((p) => p.epoch)));
  const x = Array.from({ length: n }, (_, i) => i + 1);
  const column = (run, pick) => epochColumn(run.points, pick, n);
  const positive = (v) => (v > 0 ? v : null);
  // An epoch too short to measure alone repeats an earlier one's norms: plot the measured ones.
  const measured = (p, l) => (p.measuredEpoch === undefined ? p.layers?.[l]?.gradNorm : null);
  charts[0].setData(alignTables(views.map((r) => stepTable(r.batches, smoothing))));
  const data = [
    views.flatMap((r) => [column(r, (p) => p.loss), column(r, (p) => p.valLoss)]),
    views.flatMap((r) => [column(r, (p) => p.accuracy), column(r, (p) => p.valAccuracy)]),
    views.map((r) => column(r, (p) => p.lr)),
    views.flatMap((r) =>
      Array.from({ length: layerCount(r) }, (_, l) => column(r, (p) => positive(measured(p, l))))
    ),
  ];
  data.forEach((columns, i) => charts[i + 1].setData([x, ...columns]));
  maps = updateMaps(views, label);
  renderAll(views, label);
}

function renderAll(views, label) {
  $("#empty").hidden = views.length > 0;
  // Morphed into the cards shown, which keep an open config and the buttons being pressed.
  reconcile(
    $("#heads"),
    views.map((run) => (run.summary?.live ? liveHead(run) : headWithInsights(run, label))),
  );
  renderTable();
}

/** Each finished run's insights panel, drawn once: its pictures never change. */
const panels = new Map();

/** A run's head card, with its insights (from its `end` event) once it is done. */
function headWithInsights(run, label) {
  const head = runHead(run, label.get(run.id));
  const color = RUN_COLORS[run.color ?? 0], key = `${run.id} ${color}`;
  if (run.end?.insights && panels.get(run.id)?.key !== key) {
    panels.set(run.id, { key, panel: insightsView(run.end.insights, color) });
  }
  const panel = run.end?.insights ? panels.get(run.id).panel : undefined;
  if (panel) head.append(panel);
  return head;
}

function queueDraw() {
  if (!drawQueued) {
    drawQueued = true;
    requestAnimationFrame(draw);
  }
}

let renderRows = () => {};
function renderTable() {
  const all = [...runs.values()].filter((r) => r.summary);
  const names = runNames(all, overlaid());
  renderRows(all.map((r) => rowOf(r, names.get(r.id), colorOf(r.id))));
}

function select(ids) {
  selected = ids;
  writeSelection(selected);
  for (const run of runs.values()) {
    if (selected.some((s) => s.id === run.id)) follow(run);
    else unfollow(run);
  }
  queueDraw();
}

function togglePlot(id) {
  if (selected.some((s) => s.id === id)) return select(selected.filter((s) => s.id !== id));
  const keep = isLive(id) || showsLive() ? [] : selected; // samples and epochs share no axis
  const color = claimColor(id, runs.get(id).letterIndex, keep.map((s) => s.color));
  select([...keep, { id, color }]);
}

async function refreshRuns() {
  const { runs: list } = await api("/api/runs");
  // The API lists the newest first; letters go by age, A the oldest.
  [...list].reverse().forEach((summary, i) => {
    const run = runView(summary.id);
    run.summary = summary;
    run.letterIndex = i;
    if (!run.close) run.status = summary.status; // a followed run knows better
    loadDetail(run);
  });
  queueDraw();
}

function setupChartTools() {
  for (const figure of document.querySelectorAll("figure.chart")) {
    const plot = figure.querySelector("div[id^=chart-]");
    if (!plot) continue;
    const name = plot.id.replace("chart-", "");
    figure.querySelector("figcaption").append(
      Object.assign(document.createElement("button"), {
        className: "png",
        textContent: "PNG",
        title: "save this chart as a PNG image",
        onclick: () => saveChartPng(charts.find((c) => c.el === plot), name),
      }),
    );
  }
  const slider = $("#smoothing");
  slider.addEventListener("input", () => {
    smoothing = Number(slider.value);
    $("output[for=smoothing]").textContent = smoothing.toFixed(2);
    queueDraw();
  });
  smoothing = Number(slider.value);
}

async function main() {
  adoptUrlToken();
  $("#token-bar").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(event.target.elements.token.value.trim());
    location.reload();
  });
  setupChartTools();
  renderRows = runTable($("#runs"), {
    onToggle: togglePlot,
    onRename: (id, name) => {
      rename(id, name);
      queueDraw();
    },
  });
  try {
    await setupRunForm($("#run-form"), {
      onStarted: async (id) => {
        await refreshRuns();
        if (!selected.some((s) => s.id === id)) togglePlot(id); // started here: shown once
      },
    });
    await refreshRuns();
  } catch (error) {
    if (error.status === 401) $("#token-bar").hidden = false;
    else throw error;
    return;
  }
  const fromUrl = readSelection().filter((s) => runs.has(s.id));
  if (fromUrl.length) {
    for (const s of fromUrl) if (s.color !== undefined) keepColor(s.id, s.color);
    select(fromUrl.map((s) => ({
      id: s.id,
      color: s.color ?? claimColor(s.id, runs.get(s.id).letterIndex, []),
    })));
  } else {
    // A first visit shows the run training right now, e.g. `deno task train --serve`'s.
    const running = [...runs.values()].filter((r) => r.status === "running")
      .sort((a, b) => a.letterIndex - b.letterIndex).at(-1);
    if (running) togglePlot(running.id);
    else queueDraw();
  }
  setInterval(() => refreshRuns().catch(() => {}), 3000);
}

// For tests and the curious: what the charts hold.
globalThis.nagareDashboard = {
  epochs: (id) => runs.get(id)?.points.map((p) => p.epoch) ?? [],
  steps: (id) => runs.get(id)?.batches.map((b) => b.step) ?? [],
  plotted: () => selected.map((s) => s.id),
  /** Overlaid runs' colors: { id: "#rrggbb" }. */
  colors: () => Object.fromEntries(selected.map((s) => [s.id, RUN_COLORS[s.color]])),
  windows: (id) => runs.get(id)?.windows.map((w) => w.samples) ?? [],
  /** What the chart in element `id` draws: uPlot's [x[], ...y[]]. */
  chartData: (id) => charts.find((c) => c.el.id === id)?.data(),
  /** Class-1 probabilities at the xor rows of each decision map drawn: { id: number[4] }. */
  decisionMaps: () => maps.probabilities,
  /** The epoch of the live decision grid drawn for each run: { id: epoch }. */
  decisionGrids: () => maps.epochs,
  /** The tick labels the chart in element `id` last drew: { x, y }. */
  ticks: (id) => charts.find((c) => c.el.id === id)?.ticks?.(),
};

main();
