// The decision boundary of a 2-input run, as in TensorFlow Playground: live,
// from the grid of outputs its epoch events carry (jobs/decision_grid.ts);
// for a finished xor run, the trained model (GET /api/runs/:id/model)
// evaluated over the input plane in the page, the color the probability of
// class 1, with the four xor rows on top. Only the built-in activations are known here; a model using a
// plugin's activation is named instead of drawn.

const sigmoid = (x) => 1 / (1 + Math.exp(-x));

/** Element-wise activations by name, with their model-file params. */
const ACTIVATIONS = {
  identity: () => (x) => x,
  relu: () => (x) => Math.max(0, x),
  leakyRelu: (p) => (x) => (x > 0 ? x : (p?.alpha ?? 0.01) * x),
  elu: (p) => (x) => (x > 0 ? x : (p?.alpha ?? 1) * Math.expm1(x)),
  sigmoid: () => sigmoid,
  tanh: () => Math.tanh,
  silu: () => (x) => x * sigmoid(x),
  softplus: () => (x) => (x > 20 ? x : Math.log1p(Math.exp(x))),
  gelu: () => (x) => x * sigmoid(2 * Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)),
};

/** Decodes base64 bytes. */
export const decodeBytes = (base64) => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** Decodes base64 little-endian float32s. */
export function decodeFloats(base64) {
  const bytes = decodeBytes(base64);
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/**
 * The prediction function of a model file: inputs -> outputs, or a TypeError
 * naming an activation this page does not know.
 */
export function modelFunction(model) {
  let inputs = model.spec.inputs;
  const layers = model.spec.layers.map((spec, i) => {
    const name = typeof spec.activation === "object" ? spec.activation.name : spec.activation;
    const params = typeof spec.activation === "object" ? spec.activation.params : undefined;
    if (name !== "softmax" && !ACTIVATIONS[name]) {
      throw new TypeError(`Cannot draw the decision boundary: activation ${name} is a plugin's`);
    }
    const layer = {
      inputs,
      units: spec.units,
      weights: decodeFloats(model.weights.layers[i].weights), // row i: weights from input i
      bias: decodeFloats(model.weights.layers[i].bias),
      softmax: name === "softmax",
      f: name === "softmax" ? undefined : ACTIVATIONS[name](params),
    };
    inputs = spec.units;
    return layer;
  });
  return (x) =>
    layers.reduce((a, l) => {
      const z = Array.from(l.bias);
      for (let i = 0; i < l.inputs; i++) {
        for (let j = 0; j < l.units; j++) z[j] += a[i] * l.weights[i * l.units + j];
      }
      if (!l.softmax) return z.map(l.f);
      const top = Math.max(...z);
      const e = z.map((v) => Math.exp(v - top));
      const sum = e.reduce((s, v) => s + v, 0);
      return e.map((v) => v / sum);
    }, x);
}

/** The probability of class 1 from a model's outputs: one sigmoid unit, or the second softmax unit. */
export const classOne = (out) => (out.length === 1 ? out[0] : out[1]);

const XOR_ROWS = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]];
const LOW = -0.5, HIGH = 1.5;

/** Blue (class 0) through white to orange (class 1). */
function shade(p) {
  const t = Math.min(1, Math.max(0, p));
  const mix = (a, b) => Math.round(a + (b - a) * Math.abs(2 * t - 1));
  return t < 0.5
    ? [mix(255, 37), mix(255, 99), mix(255, 235)]
    : [mix(255, 234), mix(255, 88), mix(255, 12)];
}

/** Paints a `cells` x `cells` image, `colorAt(row, col)` = [r, g, b], smoothed over `canvas`. */
function paint(canvas, cells, colorAt) {
  const image = new ImageData(cells, cells);
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      image.data.set([...colorAt(row, col), 255], (row * cells + col) * 4);
    }
  }
  const small = Object.assign(document.createElement("canvas"), { width: cells, height: cells });
  small.getContext("2d").putImageData(image, 0, 0);
  const ctx = canvas.getContext("2d");
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, canvas.width, canvas.height);
}

/** The four xor rows as dots on `canvas`, which spans `x` across and `y` up. */
function drawXorRows(canvas, x, y) {
  const ctx = canvas.getContext("2d");
  for (const [x1, x2, label] of XOR_ROWS) {
    ctx.beginPath();
    ctx.arc(
      ((x1 - x[0]) / (x[1] - x[0])) * canvas.width,
      canvas.height - ((x2 - y[0]) / (y[1] - y[0])) * canvas.height,
      canvas.width / 28,
      0,
      2 * Math.PI,
    );
    ctx.fillStyle = label ? "#ea580c" : "#2563eb";
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.fill();
    ctx.stroke();
  }
}

/**
 * Draws the decision boundary of model `predict` on `canvas` (square) over
 * [-0.5, 1.5]², with the xor rows as dots. Returns the probabilities at the
 * four rows, for tests.
 */
export function drawDecisionMap(canvas, predict, cells = 64) {
  const at = (i) => LOW + ((i + 0.5) / cells) * (HIGH - LOW);
  paint(canvas, cells, (row, col) => shade(classOne(predict([at(col), HIGH + LOW - at(row)]))));
  drawXorRows(canvas, [LOW, HIGH], [LOW, HIGH]);
  return XOR_ROWS.map(([x1, x2]) => classOne(predict([x1, x2])));
}

/** Colors of the classes of a grid with more than two. */
const CLASS_COLORS = [
  [37, 99, 235],
  [234, 88, 12],
  [22, 163, 74],
  [147, 51, 234],
  [220, 38, 38],
  [8, 145, 178],
  [202, 138, 4],
  [219, 39, 119],
];

/**
 * Draws a live decision grid (an epoch event's `boundary`: the network's
 * outputs over its two inputs, `size` cells a side, top row first) on
 * `canvas`, smoothed to the canvas' size; the xor rows as dots when `xor`.
 */
export function drawDecisionGrid(canvas, boundary, xor = false) {
  const { size, classes, x, y } = boundary;
  const values = decodeBytes(boundary.values);
  paint(canvas, size, (row, col) => {
    const v = values[row * size + col];
    return classes === 2 ? shade(v / 255) : CLASS_COLORS[v % CLASS_COLORS.length];
  });
  if (xor) drawXorRows(canvas, x, y);
}

const range = ([low, high]) => `${low.toPrecision(3)} … ${high.toPrecision(3)}`;

/** The last epoch event of `run` that carries a decision grid. */
const lastGrid = (run) => run.points.findLast((p) => p.boundary);

/**
 * Keeps one decision map per overlaid run of a 2-input network in `figure`
 * (hidden when there is none): redrawn from the grid of each new epoch event
 * while the run trains; a finished xor run's map is its trained model
 * evaluated in the page. `load(id)` fetches a run's model file. Returns
 * `update(views, label)`, cheap to call on every draw; it returns the class-1
 * probabilities at the xor rows of each model drawn and the epoch of each grid drawn.
 */
export function decisionMaps(figure, load) {
  const maps = new Map(); // id -> { node, canvas, caption, mode, epoch, probabilities }
  const grid = figure.querySelector(".maps");
  const entry = (run, mode) => {
    const old = maps.get(run.id);
    if (old?.mode === mode) return old;
    const canvas = Object.assign(document.createElement("canvas"), { width: 240, height: 240 });
    const caption = document.createElement("figcaption");
    const node = document.createElement("figure");
    node.className = "map";
    node.dataset.run = run.id;
    node.append(canvas, caption);
    const made = { node, canvas, caption, mode, epoch: undefined, probabilities: undefined };
    maps.set(run.id, made);
    return made;
  };
  const fromModel = (run) => {
    const map = entry(run, "model");
    if (map.loading) return map;
    map.loading = load(run.id).then((model) => {
      map.probabilities = drawDecisionMap(map.canvas, modelFunction(model));
    }).catch((error) => {
      map.caption.title = error.message;
      map.canvas.replaceWith(Object.assign(document.createElement("p"), {
        className: "muted",
        textContent: error.message,
      }));
    });
    return map;
  };
  const fromGrid = (run, point) => {
    const map = entry(run, "grid");
    if (map.epoch !== point.epoch) {
      drawDecisionGrid(map.canvas, point.boundary, run.summary?.dataset === "xor");
      map.epoch = point.epoch;
      map.canvas.title = `x₁ ${range(point.boundary.x)}, x₂ ${range(point.boundary.y)}`;
      map.node.dataset.epoch = String(point.epoch);
    }
    return map;
  };
  return function update(views, label) {
    const shown = views.filter((r) =>
      (r.summary?.dataset === "xor" && r.status === "done") || lastGrid(r)
    );
    figure.hidden = shown.length === 0;
    for (const run of shown) {
      const map = run.summary?.dataset === "xor" && run.status === "done"
        ? fromModel(run)
        : fromGrid(run, lastGrid(run));
      map.caption.textContent = map.mode === "grid"
        ? `${label.get(run.id)} · epoch ${map.epoch}`
        : label.get(run.id);
    }
    grid.replaceChildren(...shown.map((r) => maps.get(r.id).node));
    const of = (pick) => Object.fromEntries(shown.map((r) => [r.id, pick(maps.get(r.id))]));
    return {
      probabilities: of((m) => (m.mode === "model" ? m.probabilities : undefined)),
      epochs: of((m) => (m.mode === "grid" ? m.epoch : undefined)),
    };
  };
}
