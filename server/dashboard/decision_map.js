// The decision boundary of a finished xor run, as in TensorFlow Playground:
// the trained model (GET /api/runs/:id/model) evaluated over the input plane
// in the page, the color the probability of class 1, with the four xor rows
// on top. Only the built-in activations are known here; a model using a
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

/** Decodes base64 little-endian float32s. */
export function decodeFloats(base64) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
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

/**
 * Draws the decision boundary of model `predict` on `canvas` (square) over
 * [-0.5, 1.5]², with the xor rows as dots. Returns the probabilities at the
 * four rows, for tests.
 */
export function drawDecisionMap(canvas, predict, cells = 64) {
  const size = canvas.width;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(cells, cells);
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      const x1 = LOW + ((col + 0.5) / cells) * (HIGH - LOW);
      const x2 = HIGH - ((row + 0.5) / cells) * (HIGH - LOW);
      const [r, g, b] = shade(classOne(predict([x1, x2])));
      image.data.set([r, g, b, 255], (row * cells + col) * 4);
    }
  }
  const small = Object.assign(document.createElement("canvas"), { width: cells, height: cells });
  small.getContext("2d").putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, size, size);
  const at = (v) => ((v - LOW) / (HIGH - LOW)) * size;
  for (const [x1, x2, y] of XOR_ROWS) {
    ctx.beginPath();
    ctx.arc(at(x1), size - at(x2), size / 28, 0, 2 * Math.PI);
    ctx.fillStyle = y ? "#ea580c" : "#2563eb";
    ctx.strokeStyle = "#fff";
    ctx.lineWidth = 2;
    ctx.fill();
    ctx.stroke();
  }
  return XOR_ROWS.map(([x1, x2]) => classOne(predict([x1, x2])));
}

/**
 * Keeps one decision map per overlaid finished xor run in `figure` (hidden
 * when there is none). `load(id)` fetches a run's model file. Returns
 * `update(views, label)`, cheap to call on every draw: a run's map is drawn
 * once, when its model first loads.
 */
export function decisionMaps(figure, load) {
  const maps = new Map(); // id -> { node, probabilities }
  const grid = figure.querySelector(".maps");
  return function update(views, label) {
    const shown = views.filter((r) => r.summary?.dataset === "xor" && r.status === "done");
    figure.hidden = shown.length === 0;
    for (const run of shown) {
      if (maps.has(run.id)) continue;
      const canvas = Object.assign(document.createElement("canvas"), { width: 240, height: 240 });
      const caption = document.createElement("figcaption");
      const node = document.createElement("figure");
      node.className = "map";
      node.dataset.run = run.id;
      node.append(canvas, caption);
      const entry = { node, caption, probabilities: undefined };
      maps.set(run.id, entry);
      load(run.id).then((model) => {
        entry.probabilities = drawDecisionMap(canvas, modelFunction(model));
      }).catch((error) => {
        entry.caption.title = error.message;
        canvas.replaceWith(Object.assign(document.createElement("p"), {
          className: "muted",
          textContent: error.message,
        }));
      });
    }
    for (const run of shown) maps.get(run.id).caption.textContent = label.get(run.id);
    grid.replaceChildren(...shown.map((r) => maps.get(r.id).node));
    return Object.fromEntries(shown.map((r) => [r.id, maps.get(r.id).probabilities]));
  };
}
