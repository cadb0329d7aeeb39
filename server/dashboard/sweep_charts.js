// The sweep view's charts: the metric against one parameter (a scatter whose
// points are coloured by the trial's status) and the top trials' curves.
import { AXIS, epochColumn, LAYER_COLORS, lineChart, mountPlot } from "./charts.js";

/** The colour of a trial's status, in the scatters and the leaderboard. */
export const STATUS_COLORS = {
  done: "#16a34a",
  stopped: "#d97706",
  running: "#2563eb",
  queued: "#6b7280",
  failed: "#dc2626",
};
const STATUSES = Object.keys(STATUS_COLORS);

/** A parameter value for people: numbers to 3 significant digits, objects as JSON. */
export function valueLabel(value) {
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : value.toPrecision(3);
  }
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * How a swept parameter's values sit on an x axis: a distribution is
 * numeric ("log" for log_uniform_values), a list of values is a category
 * per value, evenly spaced, named by its label.
 */
export function axisOf(parameter) {
  if ("distribution" in parameter) {
    return { kind: parameter.distribution === "log_uniform_values" ? "log" : "linear" };
  }
  const values = "values" in parameter ? parameter.values : [parameter.value];
  return { kind: "category", names: values.map(valueLabel) };
}

/** Where a trial's value lands on the axis; categories spread their points a little. */
function xOf(axis, value, index) {
  if (axis.kind !== "category") return typeof value === "number" ? value : null;
  const at = axis.names.indexOf(valueLabel(value));
  return at < 0 ? null : at + (((index * 0.618) % 1) - 0.5) * 0.3;
}

/**
 * A scatter of the metric (y) against parameter `name` (x) in `el`.
 * Returns { update(trials), destroy() }; trials are the API's, with
 * `params[name]`, `status` and `metric`.
 */
export function scatterChart(el, { name, axis, metric }) {
  const category = axis.kind === "category";
  const x = category
    ? { time: false, range: () => [-0.5, axis.names.length - 0.5] }
    : axis.kind === "log"
    ? { time: false, distr: 3, log: 10 }
    : { time: false };
  const xAxis = category
    ? { splits: () => axis.names.map((_, i) => i), values: () => axis.names }
    : {};
  const plot = mountPlot(el, {
    height: 200,
    scales: { x, y: {} },
    axes: [
      { ...AXIS, label: name, labelSize: 18, size: 36, ...xAxis },
      { ...AXIS, label: metric, labelSize: 18, size: 58 },
    ],
    series: [
      { label: name },
      ...STATUSES.map((status) => ({
        label: status,
        stroke: STATUS_COLORS[status],
        fill: STATUS_COLORS[status], // the legend's marker; no path, so no area
        paths: () => null,
        points: { show: true, size: 8, space: 0, fill: STATUS_COLORS[status] },
      })),
    ],
    legend: { live: false },
    cursor: { drag: { x: false, y: false } },
  }, [[], ...STATUSES.map(() => [])]);
  return {
    update(trials) {
      const points = trials
        .map((t) => ({ t, x: xOf(axis, t.params[name], t.index) }))
        .filter(({ t, x }) => x !== null && Number.isFinite(t.metric))
        .sort((a, b) => a.x - b.x);
      plot.setData([
        points.map((p) => p.x),
        ...STATUSES.map((s) => points.map(({ t }) => (t.status === s ? t.metric : null))),
      ]);
    },
    destroy: () => plot.destroy(),
  };
}

/** The parameters whose values differ between `trials`, in the sweep file's order. */
function differing(trials, names) {
  const varies = names.filter((n) => new Set(trials.map((t) => valueLabel(t.params[n]))).size > 1);
  return varies.length > 0 ? varies : names;
}

/** The legend label of each trial: its number and the parameters that set it apart. */
export function curveLabels(trials, names) {
  const keys = differing(trials, names);
  return trials.map((t) =>
    `#${t.index + 1} ${keys.map((k) => `${k}=${valueLabel(t.params[k])}`).join(" ")}`
  );
}

/**
 * The metric per epoch of the top trials, one colour each, in `el`.
 * Returns { update(trials, pointsOf), destroy() }: `trials` best first,
 * `pointsOf(trial)` its epoch events so far; the chart is rebuilt when the
 * set of trials changes.
 */
export function curvesChart(el, { metric, names }) {
  let chart, key = "";
  return {
    update(trials, pointsOf) {
      const labels = curveLabels(trials, names);
      if (!chart || labels.join("\n") !== key) { // the first update may have no trial yet
        chart?.destroy();
        key = labels.join("\n");
        chart = lineChart(el, {
          yLabel: metric,
          series: labels.map((label, i) => ({ label, stroke: LAYER_COLORS[i] })),
        });
      }
      const columns = trials.map((t) => pointsOf(t));
      const n = Math.max(0, ...columns.flatMap((ps) => ps.map((p) => p.epoch)));
      const data = columns.map((ps) => epochColumn(ps, (p) => p[metric], n));
      chart.setData([Array.from({ length: n }, (_, i) => i + 1), ...data]);
    },
    destroy: () => chart?.destroy(),
  };
}
