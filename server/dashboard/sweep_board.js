// The sweep view's leaderboard: one row per trial, ranked by the metric
// under the sweep's goal, sortable by any column, filterable by status.
import { el, fmt } from "./run_cards.js";
import { STATUS_COLORS, valueLabel } from "./sweep_charts.js";

/** The trials that have a metric, best first under `goal` (ties in sweep order). */
export function ranked(trials, goal) {
  const sign = goal === "maximize" ? -1 : 1;
  return trials.filter((t) => Number.isFinite(t.metric))
    .sort((a, b) => sign * (a.metric - b.metric) || a.index - b.index);
}

/** Ranks (1 = best) of the trials that have a metric, by trial index. */
export function ranks(trials, goal) {
  return new Map(ranked(trials, goal).map((t, i) => [t.index, i + 1]));
}

/** A trial's status for people: "stopped at epoch 3", "running (epoch 5)"... */
export function statusText(trial) {
  if (trial.status === "stopped") return `stopped at epoch ${trial.stoppedAt ?? trial.epochs}`;
  if (trial.status === "running") return `running (epoch ${trial.epochs})`;
  return trial.status;
}

/** The columns: key, header text, the value to sort by, the cell's text. */
function columns(sweep, rankOf) {
  const { name, goal } = sweep.metric;
  return [
    {
      key: "rank",
      head: "rank",
      sort: (t) => rankOf.get(t.index),
      text: (t) => rankOf.get(t.index),
    },
    { key: "trial", head: "trial", sort: (t) => t.index, text: (t) => `#${t.index + 1}` },
    { key: "status", head: "status", sort: (t) => statusText(t), text: statusText },
    ...sweptNames(sweep).map((p) => ({
      key: `param:${p}`,
      head: p,
      sort: (t) => (typeof t.params[p] === "number" ? t.params[p] : valueLabel(t.params[p])),
      text: (t) => valueLabel(t.params[p]),
    })),
    { key: "epochs", head: "epochs", sort: (t) => t.epochs, text: (t) => t.epochs },
    {
      key: "metric",
      head: `${name} (${goal === "maximize" ? "max" : "min"})`,
      title: `best over the epochs; the sweep's goal: ${goal}`,
      sort: (t) => (Number.isFinite(t.metric) ? t.metric : undefined),
      text: (t) => fmt(t.metric),
    },
  ];
}

/** The swept parameters (those that take more than one value), in the sweep file's order. */
export function sweptNames(sweep) {
  return Object.entries(sweep.config.parameters)
    .filter(([, p]) => !("value" in p))
    .map(([name]) => name);
}

function compare(a, b) {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/**
 * Draws `sweep`'s trials in `table`. `view` is { key, dir, status }: the
 * sorting column, 1 or -1, and the status shown ("" for all); a click on a
 * header calls `onSort(key)`. Trials without a value in the sorting column
 * come last either way.
 */
export function renderBoard(table, sweep, view, onSort) {
  const rankOf = ranks(sweep.trials, sweep.metric.goal);
  const cols = columns(sweep, rankOf);
  const col = cols.find((c) => c.key === view.key) ?? cols[0];
  const rows = sweep.trials
    .filter((t) => !view.status || t.status === view.status)
    .sort((a, b) => {
      const x = col.sort(a), y = col.sort(b);
      const missing = x === undefined || y === undefined;
      return (missing ? compare(x, y) : view.dir * compare(x, y)) || a.index - b.index;
    });
  const sortState = (c) => c.key === col.key ? (view.dir > 0 ? "ascending" : "descending") : "none";
  table.tHead.replaceChildren(el(
    "tr",
    {},
    ...cols.map((c) => {
      const th = el(
        "th",
        { className: c.key.startsWith("param:") ? "param" : c.key, title: c.title ?? "" },
        el("button", {
          type: "button",
          textContent: c.head + (c.key === col.key ? (view.dir > 0 ? " ▲" : " ▼") : ""),
          onclick: () => onSort(c.key),
        }),
      );
      th.setAttribute("aria-sort", sortState(c));
      th.dataset.key = c.key;
      return th;
    }),
  ));
  table.tBodies[0].replaceChildren(...rows.map((t) => {
    const tr = el(
      "tr",
      {},
      ...cols.map((c) =>
        el(
          "td",
          { className: c.key.startsWith("param:") ? "param" : c.key },
          el("span", { textContent: String(c.text(t) ?? "–") }),
        )
      ),
    );
    Object.assign(tr.dataset, { trial: String(t.index), status: t.status });
    tr.style.setProperty("--status", STATUS_COLORS[t.status] ?? "#9ca3af");
    if (t.error) tr.title = t.error;
    return tr;
  }));
}
