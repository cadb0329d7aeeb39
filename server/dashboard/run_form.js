// The "New run" form: choices from GET /api/options, presets per data set,
// POST /api/runs on submit, and the server's field errors shown in place.
import { api, ApiError } from "./api.js";

const FIELD_OF_PATH = { layers: "hidden", batchSize: "batchSize" };

const refName = (ref) => (typeof ref === "object" ? ref.name : ref ?? "identity");

/**
 * The losses to offer for a data set of GET /api/options: those the server
 * says fit its preset's output layer (the form keeps that layer), or every
 * loss when it does not say; the preset's loss is selected when offered.
 */
export function lossChoices(dataset, losses) {
  const names = Array.isArray(dataset.losses) ? dataset.losses : losses;
  const preset = refName(dataset.preset.loss);
  return { names, selected: names.includes(preset) ? preset : names[0] };
}

function fillSelect(select, names, selected) {
  select.replaceChildren(...names.map((name) => new Option(name, name, false, name === selected)));
}

function showIssues(form, issues) {
  const list = form.querySelector(".issues");
  list.replaceChildren(...issues.map((i) => {
    const li = document.createElement("li");
    li.textContent = i.path ? `${i.path}: ${i.message}` : i.message;
    return li;
  }));
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  for (const issue of issues) {
    const root = issue.path.split(".")[0];
    form.elements[FIELD_OF_PATH[root] ?? root]?.setAttribute("aria-invalid", "true");
  }
}

/**
 * Sets up `form`. `onStarted(id)` runs after the server accepted a run.
 * Resolves once the choices are loaded.
 */
export async function setupRunForm(form, { onStarted }) {
  const options = await api("/api/options");
  const datasets = Object.fromEntries(options.datasets.map((d) => [d.name, d]));
  const presets = Object.fromEntries(options.datasets.map((d) => [d.name, d.preset]));
  const f = form.elements;
  fillSelect(f.dataset, options.datasets.map((d) => d.name), "xor");
  fillSelect(f.activation, options.activations, "tanh");
  fillSelect(f.optimizer, options.optimizers, "adam");

  const applyPreset = () => {
    const preset = presets[f.dataset.value];
    const hidden = preset.layers.slice(0, -1);
    f.hidden.value = hidden.map((l) => l.units).join(", ");
    if (hidden.length) f.activation.value = refName(hidden[0].activation);
    const losses = lossChoices(datasets[f.dataset.value], options.losses);
    fillSelect(f.loss, losses.names, losses.selected);
    f.lr.value = preset.lr;
    f.epochs.value = preset.epochs;
    f.batchSize.value = preset.batchSize;
    const out = preset.layers.at(-1);
    form.querySelector(".output-layer").textContent = `${out.units} × ${refName(out.activation)}`;
  };
  f.dataset.addEventListener("change", applyPreset);
  applyPreset();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const hiddenText = f.hidden.value.trim();
    const hidden = hiddenText === "" ? [] : hiddenText.split(/[\s,]+/).map(Number);
    if (hidden.some((n) => !Number.isInteger(n) || n < 1)) {
      return showIssues(form, [{
        path: "layers",
        message: "write whole numbers of units separated by commas, e.g. 16, 16",
      }]);
    }
    const preset = presets[f.dataset.value];
    const body = {
      dataset: f.dataset.value,
      layers: [
        ...hidden.map((units) => ({ units, activation: f.activation.value })),
        preset.layers.at(-1),
      ],
      loss: f.loss.value,
      optimizer: f.optimizer.value,
      lr: Number(f.lr.value),
      epochs: Number(f.epochs.value),
      batchSize: Number(f.batchSize.value),
      seed: Number(f.seed.value),
    };
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const run = await api("/api/runs", { method: "POST", body });
      showIssues(form, []);
      onStarted(run.id);
    } catch (error) {
      const issues = error instanceof ApiError && Array.isArray(error.error.issues)
        ? error.error.issues
        : [{ path: "", message: error.message }];
      showIssues(form, issues);
    } finally {
      button.disabled = false;
    }
  });
}
