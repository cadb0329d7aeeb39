// Thin helpers over uPlot (loaded as the global `uPlot` from /assets/uplot.min.js).
import { INTEGER_INCRS, integerLabels, linearLabels, logLabels } from "./axes.js";

/** Run colors, distinct on white; a run keeps its own for its life (see run_identity.js). */
export const RUN_COLORS = [
  "#2563eb",
  "#ea580c",
  "#16a34a",
  "#dc2626",
  "#9333ea",
  "#0891b2",
  "#ca8a04",
  "#db2777",
  "#4b5563",
  "#65a30d",
  "#92400e",
  "#1e3a8a",
];
/** Colors of layers 1, 2, 3... in the gradient chart. */
export const LAYER_COLORS = [
  "#2563eb",
  "#16a34a",
  "#9333ea",
  "#dc2626",
  "#0891b2",
  "#ca8a04",
  "#db2777",
  "#4b5563",
];
/** Dash pattern of validation curves. */
export const DASH = [6, 4];
/** Line styles of layers 1, 2, 3... when color tells runs apart (gradient chart). */
export const LAYER_DASHES = [undefined, [6, 4], [2, 3], [10, 3, 2, 3], [1, 6], [14, 4]];

/** The look of every chart axis. */
export const AXIS = {
  stroke: "#6b7280",
  grid: { stroke: "#eef0f3", width: 1 },
  ticks: { stroke: "#e5e7eb", width: 1 },
};

/** One value per epoch 1..n from epoch events, `null` where `pick` finds no number. */
export function epochColumn(points, pick, n) {
  const out = new Array(n).fill(null);
  for (const p of points) {
    const v = pick(p);
    if (p.epoch >= 1 && p.epoch <= n && typeof v === "number" && Number.isFinite(v)) {
      out[p.epoch - 1] = v;
    }
  }
  return out;
}

/** How a value reads in a chart's legend (the value under the cursor). */
const legendValue = (_u, v) =>
  typeof v === "number" && Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "–";

/**
 * A line chart filling `el`, with `series` = [{ label, stroke, dash, width }].
 * `log` puts y on a log10 scale (values <= 0 must be null there); `integerX`
 * (default: when x is epochs or steps) ticks x at whole numbers only. The
 * legend shows every series' value at the cursor.
 * Returns { el, setData(data), data(), png(), ticks(), destroy() }; data is [x[], ...y[]]
 * like uPlot's, ticks() the axes' labels last drawn: { x: string[], y: string[] }.
 */
export function lineChart(
  el,
  {
    series,
    log = false,
    xLabel = "epoch",
    yLabel = "",
    height = 220,
    integerX = xLabel === "epoch" || xLabel === "step",
  },
) {
  const ticks = { x: [], y: [] }; // the labels last drawn, for tests
  const opts = {
    height,
    scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : {} },
    axes: [
      {
        ...AXIS,
        label: xLabel,
        labelSize: 18,
        size: 36,
        ...(integerX ? { incrs: INTEGER_INCRS } : {}),
        values: (_u, splits) => (ticks.x = integerX ? integerLabels(splits) : linearLabels(splits)),
      },
      {
        ...AXIS,
        label: yLabel,
        labelSize: 18,
        size: 58,
        values: (_u, splits) => (ticks.y = log ? logLabels(splits) : linearLabels(splits)),
      },
    ],
    series: [
      { label: xLabel, value: legendValue },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: s.width ?? 2,
        dash: s.dash,
        spanGaps: true,
        points: { show: false },
        value: legendValue,
      })),
    ],
    legend: { live: true },
    cursor: { drag: { x: true, y: false } },
  };
  return { ...mountPlot(el, opts, [[], ...series.map(() => [])]), ticks: () => ticks };
}

/**
 * Draws uPlot `opts` in `el` and keeps it as wide as `el`.
 * Returns { el, setData(data), data() (what it draws), png(), destroy() }.
 */
export function mountPlot(el, opts, data) {
  const plot = new globalThis.uPlot(
    { ...opts, width: Math.max(200, el.clientWidth) },
    data,
    el,
  );
  const resize = new ResizeObserver(() =>
    plot.setSize({ width: Math.max(200, el.clientWidth), height: opts.height })
  );
  resize.observe(el);
  return {
    el,
    setData: (data) => plot.setData(data),
    data: () => plot.data,
    /** The chart as a PNG Blob on white (the axes are drawn on the canvas too). */
    png: () => {
      const canvas = Object.assign(document.createElement("canvas"), {
        width: plot.ctx.canvas.width,
        height: plot.ctx.canvas.height,
      });
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(plot.ctx.canvas, 0, 0);
      return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
