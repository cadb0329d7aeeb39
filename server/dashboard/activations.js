// The activation gallery: one small chart per activation, h(x) and h'(x),
// from GET /api/activations (sampled on the server by the plugins themselves).
import { adoptUrlToken, api, setToken } from "./api.js";
import { lineChart, RUN_COLORS } from "./charts.js";

function card(x, activation) {
  const figure = document.createElement("figure");
  figure.className = "card chart";
  figure.dataset.name = activation.name;
  const title = document.createElement("h3");
  title.textContent = activation.name;
  const formula = document.createElement("p");
  formula.className = "formula";
  formula.textContent = activation.description ?? (activation.rowwise ? "row-wise" : "");
  const slope = document.createElement("p");
  slope.className = "slope";
  slope.textContent = `largest h′(x) on [${x[0]}, ${x.at(-1)}]: ${activation.maxSlope}` +
    (activation.rowwise ? " (first output of the row [x, 0])" : "");
  const plot = document.createElement("div");
  figure.append(title, formula, plot, slope);
  document.querySelector("#gallery").append(figure);
  const chart = lineChart(plot, {
    xLabel: "x",
    height: 180,
    series: [
      { label: "h(x)", stroke: RUN_COLORS[0] },
      { label: "h′(x)", stroke: RUN_COLORS[1] },
    ],
  });
  chart.setData([x, activation.y, activation.dy]);
}

async function main() {
  adoptUrlToken();
  document.querySelector("#token-bar").addEventListener("submit", (event) => {
    event.preventDefault();
    setToken(event.target.elements.token.value.trim());
    location.reload();
  });
  try {
    const { x, activations } = await api("/api/activations");
    for (const activation of activations) card(x, activation);
  } catch (error) {
    if (error.status === 401) document.querySelector("#token-bar").hidden = false;
    else throw error;
  }
}

main();
