// Thin helpers over uPlot (loaded as the global `uPlot` from /assets/uplot.min.js).

/** Colors of the first and second plotted run. */
export const RUN_COLORS = ["#2563eb", "#ea580c"];
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
/** Dash pattern of the second run (and of validation curves). */
export const DASH = [6, 4];

/** The look of every chart axis. */
export const AXIS = {
  stroke: "#6b7280",
  grid: { stroke: "#eef0f3", width: 1 },
  ticks: { stroke: "#e5e7eb", width: 1 },
};

function superscript(n) {
  const digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  return String(n).replace("-", "⁻").replace(/\d/g, (d) => digits[d]);
}

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

/**
 * A line chart filling `el`, with `series` = [{ label, stroke, dash }].
 * `log` puts y on a log10 scale (values <= 0 must be null there).
 * Returns { el, setData(data), data(), destroy() }; data is [x[], ...y[]] like uPlot's.
 */
export function lineChart(
  el,
  { series, log = false, xLabel = "epoch", yLabel = "", height = 220 },
) {
  const opts = {
    height,
    scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : {} },
    axes: [
      { ...AXIS, label: xLabel, labelSize: 18, size: 36 },
      {
        ...AXIS,
        label: yLabel,
        labelSize: 18,
        size: 58,
        ...(log
          ? {
            values: (_u, vals) =>
              vals.map((v) => (v ? `10${superscript(Math.round(Math.log10(v)))}` : "")),
          }
          : {}),
      },
    ],
    series: [
      { label: xLabel },
      ...series.map((s) => ({
        label: s.label,
        stroke: s.stroke,
        width: 2,
        dash: s.dash,
        spanGaps: true,
        points: { show: false },
      })),
    ],
    legend: { live: false },
    cursor: { drag: { x: true, y: false } },
  };
  return mountPlot(el, opts, [[], ...series.map(() => [])]);
}

/**
 * Draws uPlot `opts` in `el` and keeps it as wide as `el`.
 * Returns { el, setData(data), data() (what it draws), destroy() }.
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
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
