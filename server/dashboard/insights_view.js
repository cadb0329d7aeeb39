// A finished run's insights on its card (computed in the Worker at the end of
// the run, carried in its `end` event): the confusion matrix as a coloured
// grid, misclassified images with "true → predicted", and per-layer
// histograms of the pre-activations with the share of dead or saturated units.
import { decodeBytes } from "./decision_map.js";
import { el } from "./run_cards.js";

const percent = (f) => `${Math.round(f * 100)}%`;

/** The confusion matrix: counts[true][predicted], each cell shaded by its share of its row. */
function confusionGrid({ classes, counts }, set) {
  const total = counts.flat().reduce((a, b) => a + b, 0);
  const grid = el("div", { className: "confusion", title: "rows: true class, columns: predicted" });
  grid.style.setProperty("--classes", String(classes));
  grid.dataset.total = String(total);
  counts.forEach((row, t) => {
    const rowTotal = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((n, p) => {
      const cell = el("span", {
        className: t === p ? "cell right" : "cell",
        textContent: String(n),
        title: `true ${t} → predicted ${p}: ${n} of ${rowTotal} (${percent(n / rowTotal)})`,
      });
      cell.style.setProperty("--share", String(n / rowTotal));
      grid.append(cell);
    });
  });
  return el(
    "figure",
    {},
    el("figcaption", { textContent: `confusion matrix, ${set} set (${total} samples)` }),
    grid,
  );
}

/** Up to 16 misclassified images, each a canvas of its gray pixels under "true → predicted". */
function misclassifiedGrid({ width, height, misclassified }) {
  const items = misclassified.map(({ pixels, label, predicted }) => {
    const canvas = el("canvas", { width, height });
    const bytes = decodeBytes(pixels);
    const image = new ImageData(width, height);
    bytes.forEach((v, i) => image.data.set([v, v, v, 255], i * 4));
    canvas.getContext("2d").putImageData(image, 0, 0);
    return el(
      "span",
      { className: "sample" },
      canvas,
      el("small", { textContent: `${label} → ${predicted}` }),
    );
  });
  const caption = items.length ? "misclassified (true → predicted)" : "no misclassified samples";
  return el(
    "figure",
    {},
    el("figcaption", { textContent: caption }),
    el("div", { className: "samples" }, ...items),
  );
}

/** What a layer's units tell about its gradient, in words. */
export function layerWords({ layer, activation, units, dead, saturated }) {
  const head = `layer ${layer} (${activation}, ${units} units)`;
  if (dead !== undefined) return `${head}: ${percent(dead)} of ReLU units dead`;
  if (saturated !== undefined) {
    return `${head}: ${percent(saturated)} of ${activation} units saturated`;
  }
  return head;
}

/** A small bar chart of one layer's pre-activation histogram. */
function layerHistogram(layer, color) {
  const { min, max, counts } = layer.histogram;
  const canvas = el("canvas", { width: 160, height: 48 });
  const ctx = canvas.getContext("2d");
  const top = Math.max(1, ...counts), w = canvas.width / counts.length;
  ctx.fillStyle = color;
  counts.forEach((n, i) => {
    const h = (n / top) * canvas.height;
    ctx.fillRect(i * w, canvas.height - h, Math.max(1, w - 1), h);
  });
  canvas.title = `pre-activations from ${min.toPrecision(3)} to ${max.toPrecision(3)}`;
  return el("div", { className: "layer" }, canvas, el("small", { textContent: layerWords(layer) }));
}

/**
 * The insights panel of a run card, or undefined without insights: a
 * `details` element (open) holding the pictures, bars drawn in `color`.
 */
export function insightsView(insights, color = "#4e79a7") {
  if (!insights) return undefined;
  return el(
    "details",
    { className: "insights", open: true },
    el("summary", { textContent: `insights (${insights.set} set)` }),
    insights.confusion ? confusionGrid(insights.confusion, insights.set) : undefined,
    insights.images ? misclassifiedGrid(insights.images) : undefined,
    el(
      "figure",
      { className: "histograms" },
      el("figcaption", { textContent: `pre-activations of ${insights.samples} samples` }),
      ...insights.layers.map((layer) => layerHistogram(layer, color)),
    ),
  );
}
