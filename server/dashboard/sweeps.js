// The sweep view: the list of sweeps and, for one (`/sweeps?id=...`), its
// leaderboard, the metric against each parameter, the top trials' curves
// and the best trial's model. Polls the sweep while it runs.
import { adoptUrlToken, api, followRun, setToken, token } from "./api.js";
import { downloadModel, el, fmt } from "./run_cards.js";
import { ranked, renderBoard, sweptNames } from "./sweep_board.js";
import { axisOf, curvesChart, scatterChart, valueLabel } from "./sweep_charts.js";

const $ = (selector) => document.querySelector(selector);
const POLL_MS = 1500;
const TOP = 5;
const EXAMPLE = {
  name: "iris: sigmoid or relu, and the learning rate",
  method: "random",
  metric: { name: "val_accuracy", goal: "maximize" },
  parameters: {
    "layers.0.activation": { values: ["sigmoid", "relu"] },
    lr: { distribution: "log_uniform_values", min: 0.0003, max: 0.1 },
  },
  early_terminate: { type: "hyperband", min_iter: 3, eta: 3 },
  run_cap: 18,
  seed: 1,
  run: { dataset: "iris", epochs: 27 },
};

let sweepId = new URLSearchParams(location.search).get("id");
let sweep; // the last GET /api/sweeps/:id
const view = { key: "rank", dir: 1, status: "" };
let scatters = [];
let curves;
const followed = new Map(); // run id -> epoch events so far
let curvesQueued = false;

const sweepHref = (id) => `/sweeps?id=${encodeURIComponent(id)}`;

function renderList(sweeps) {
  $("#no-sweeps").hidden = sweeps.length > 0;
  $("#sweeps").replaceChildren(...sweeps.map((s) =>
    el(
      "li",
      { className: s.id === sweepId ? "plotted" : "" },
      el("a", {
        href: sweepHref(s.id),
        className: "run-name",
        textContent: s.name ?? s.id.slice(0, 8),
      }),
      el("span", { className: `badge ${s.status}`, textContent: s.status }),
      el("span", {
        className: "muted",
        textContent: `${s.finished}/${s.trials} trials · best ${s.metric.name} ${
          fmt(s.best?.metric)
        }`,
      }),
    )
  ));
}

/** Builds the charts that depend only on the sweep file: once per page. */
function buildCharts() {
  const names = sweptNames(sweep);
  const metric = sweep.metric.name;
  scatters = names.map((name) => {
    const plot = el("div");
    const axis = axisOf(sweep.config.parameters[name]);
    const scale = axis.kind === "log" ? "log scale" : axis.kind === "category" ? "values" : "";
    $("#scatters").append(el(
      "figure",
      { className: "card chart scatter" },
      el(
        "figcaption",
        { textContent: `${metric} against ${name} ` },
        el("small", { textContent: scale }),
      ),
      plot,
    ));
    return scatterChart(plot, { name, axis, metric });
  });
  curves = curvesChart($("#curves"), { metric, names });
}

/** The best trials that have a run, best first. */
const topTrials = () =>
  sweep ? ranked(sweep.trials.filter((t) => t.id), sweep.metric.goal).slice(0, TOP) : [];

function queueCurves() {
  if (curvesQueued) return;
  curvesQueued = true;
  requestAnimationFrame(renderCurves);
}

function renderCurves() {
  curvesQueued = false;
  const top = topTrials();
  for (const t of top) {
    if (followed.has(t.id)) continue;
    const points = [];
    followed.set(t.id, points);
    followRun(t.id, { epoch: (d) => (points.push(d), queueCurves()) });
  }
  $("#curves-note").textContent = `${sweep.metric.name} per epoch, one colour per trial`;
  curves.update(top, (t) => followed.get(t.id));
}

function renderBest() {
  const best = sweep.best;
  $("#best").hidden = !best;
  if (!best) return;
  const file = `nagare-${best.id}.json`;
  const command = `deno task edge:build --model ${file} --target deno`;
  const link = el("a", {
    href: best.links.model,
    download: file,
    className: "button",
    textContent: "Download model",
    // A plain link cannot send the token: fetch the model with it instead.
    onclick: (event) => {
      if (!token()) return;
      event.preventDefault();
      downloadModel(best.id).catch((e) => alert(e.message));
    },
  });
  const copy = el("button", {
    type: "button",
    textContent: "Copy",
    onclick: () =>
      navigator.clipboard.writeText(command).then(() => (copy.textContent = "Copied"), () => {}),
  });
  const params = Object.entries(best.params).map(([k, v]) => `${k}=${valueLabel(v)}`).join(" ");
  $("#best").replaceChildren(
    el("h2", { textContent: "Best trial" }),
    el(
      "p",
      {},
      el("strong", { textContent: `#${best.index + 1} ` }),
      `${params} · ${sweep.metric.name} ${fmt(best.metric)} after ${best.epochs} epochs `,
      link,
    ),
    el(
      "p",
      { className: "edge" },
      "Deploy it: ",
      el("code", { textContent: command }),
      copy,
      el("small", { textContent: " --target cloudflare, deno, vercel or supabase" }),
    ),
  );
}

function render() {
  $("#empty").hidden = true;
  $("#sweep").hidden = false;
  if (!curves) buildCharts();
  const { name, goal } = sweep.metric;
  $("#sweep-name").textContent = sweep.name ?? sweep.id;
  $("#sweep-metric").textContent = `${sweep.method} · ${name} (${goal})`;
  const status = $("#sweep-status");
  status.className = `badge ${sweep.status}`;
  status.textContent = sweep.status;
  const stopped = sweep.trials.filter((t) => t.status === "stopped").length;
  $("#sweep-facts").textContent =
    `${sweep.finished}/${sweep.trials.length} trials finished · ${stopped} stopped early`;
  $("#sweep-stop").hidden = sweep.status !== "running";
  renderBoard($("#board"), sweep, view, (key) => {
    view.dir = view.key === key ? -view.dir : 1;
    view.key = key;
    render();
  });
  for (const s of scatters) s.update(sweep.trials);
  renderBest();
  renderCurves();
}

async function refresh() {
  const { sweeps } = await api("/api/sweeps");
  sweepId ??= sweeps[0]?.id;
  renderList(sweeps);
  if (!sweepId) return;
  sweep = await api(`/api/sweeps/${encodeURIComponent(sweepId)}`);
  render();
}

/** Refreshes every POLL_MS while the sweep runs, then stops. */
async function poll() {
  try {
    await refresh();
  } catch (error) {
    if (error.status === 401) return void ($("#token-bar").hidden = false);
    if (error.status === 404) return void ($("#empty").textContent = error.message);
  }
  if (!sweep || sweep.status === "running") setTimeout(poll, POLL_MS);
}

function setupForm(form) {
  form.elements.sweep.value = JSON.stringify(EXAMPLE, null, 2);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const issues = form.querySelector(".issues");
    issues.replaceChildren();
    try {
      const created = await api("/api/sweeps", {
        method: "POST",
        body: JSON.parse(form.elements.sweep.value),
      });
      location.assign(sweepHref(created.id));
    } catch (error) {
      const lines = error.error?.issues?.map((i) => `${i.path}: ${i.message}`) ?? [error.message];
      issues.replaceChildren(...lines.map((line) => el("li", { textContent: line })));
    }
  });
}

function main() {
  adoptUrlToken();
  $("#token-bar").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(event.target.elements.token.value.trim());
    location.reload();
  });
  $("#status-filter").addEventListener("change", (event) => {
    view.status = event.target.value;
    render();
  });
  $("#sweep-stop").addEventListener(
    "click",
    () =>
      api(`/api/sweeps/${encodeURIComponent(sweepId)}/stop`, { method: "POST" })
        .then(refresh, (e) => alert(e.message)),
  );
  setupForm($("#sweep-form"));
  poll();
}

// For tests and the curious: what the view holds.
globalThis.nagareSweeps = {
  sweep: () => sweep,
  curves: () =>
    topTrials().map((t) => ({ index: t.index, epochs: followed.get(t.id)?.length ?? 0 })),
};

main();
