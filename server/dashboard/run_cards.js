// The dashboard's run cards: one head card per plotted run (status,
// progress, stop, download) and one list item per run.
import { api } from "./api.js";
import { RUN_COLORS } from "./charts.js";

/** Statuses after which a run never changes. */
export const FINAL = new Set(["done", "stopped", "failed"]);

/** A number for people: 4 significant digits, a dash when missing. */
export const fmt = (v, digits = 4) =>
  typeof v === "number" && Number.isFinite(v) ? v.toPrecision(digits) : "–";

/** Creates an element with properties and children (undefined children are skipped). */
export function el(tagName, props = {}, ...children) {
  const node = Object.assign(document.createElement(tagName), props);
  node.append(...children.filter((c) => c !== undefined && c !== null));
  return node;
}

/** Saves run `id`'s model file, fetched with the token, as nagare-<id>.json. */
export async function downloadModel(id) {
  const model = await api(`/api/runs/${id}/model`);
  const url = URL.createObjectURL(new Blob([JSON.stringify(model)], { type: "application/json" }));
  el("a", { href: url, download: `nagare-${id}.json` }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The head card of plotted run number `i` (0 or 1), labelled with `tag`. */
export function runHead(run, i, tag) {
  const last = run.points.at(-1);
  const epochs = run.epochs ?? run.summary?.epochs ?? 0;
  const progress = el("progress", { max: epochs || 1, value: last?.epoch ?? 0 });
  const download = run.status === "done"
    ? el("button", { textContent: "Download model", onclick: () => downloadModel(run.id) })
    : undefined;
  const facts = [
    `epoch ${last?.epoch ?? 0}/${epochs}`,
    `loss ${fmt(last?.loss)}`,
    last?.valLoss !== undefined ? `val ${fmt(last.valLoss)}` : undefined,
    last?.accuracy !== undefined ? `acc ${fmt(last.accuracy * 100, 3)}%` : undefined,
    run.batch && !FINAL.has(run.status) ? `batch loss ${fmt(run.batch.loss)}` : undefined,
  ];
  return headCard(run, i, tag, { progress, facts, download, points: run.points.length });
}

/**
 * The head card of a plotted run, for runHead and the live view: title,
 * status, connection, then `progress`, the `facts` (undefined ones are
 * skipped), the error, Stop while the run can change, and `download`.
 * `points` (the points plotted) goes to its data-points attribute.
 */
export function headCard(run, i, tag, { progress, facts, download, points, badges = [] }) {
  const stop = FINAL.has(run.status) ? undefined : el("button", {
    textContent: "Stop",
    className: "danger",
    onclick: () =>
      api(`/api/runs/${run.id}/stop`, { method: "POST" }).catch((e) => alert(e.message)),
  });
  const head = el(
    "div",
    { className: "card head", style: `--run: ${RUN_COLORS[i]}` },
    el(
      "div",
      { className: "head-title" },
      el("strong", { textContent: `${tag}${run.summary?.dataset ?? ""}` }),
      el("code", { textContent: run.summary?.layers ?? run.id.slice(0, 8) }),
    ),
    ...badges,
    el("span", {
      className: `badge ${run.status}`,
      textContent: run.status,
      title: run.error ?? "",
    }),
    FINAL.has(run.status)
      ? undefined
      : el("span", { className: `conn ${run.connection}`, textContent: run.connection }),
    progress,
    el("span", { className: "facts", textContent: facts.filter(Boolean).join(" · ") }),
    run.error ? el("span", { className: "error", textContent: run.error }) : undefined,
    el("span", { className: "actions" }, stop, download),
  );
  Object.assign(head.dataset, { run: run.id, points: String(points) });
  return head;
}

/** The badge that marks a live run (one that trains on posted samples). */
export const liveBadge = () =>
  el("span", { className: "badge live", textContent: "live", title: "trains on posted samples" });

/** The list item of a run; `i` is its plot slot (-1 when not plotted). */
export function runItem(run, i, onToggle) {
  const box = el("input", {
    type: "checkbox",
    checked: i >= 0,
    onchange: onToggle,
  });
  const { live, metrics, samples } = run.summary;
  const loss = run.points.at(-1)?.loss ?? metrics?.loss;
  const note = live
    ? [
      `${(samples ?? 0).toLocaleString("en")} samples`,
      metrics?.accuracy !== undefined ? `window acc ${fmt(metrics.accuracy * 100, 3)}%` : "",
    ].filter(Boolean).join(" · ")
    : loss !== undefined
    ? `loss ${fmt(loss, 3)}`
    : run.id.slice(0, 8);
  return el(
    "li",
    { className: i >= 0 ? "plotted" : "", style: i >= 0 ? `--run: ${RUN_COLORS[i]}` : "" },
    el(
      "label",
      {},
      box,
      live ? liveBadge() : undefined,
      el("span", {
        className: "run-name",
        textContent: live ? run.summary.layers : `${run.summary.dataset} ${run.summary.layers}`,
      }),
    ),
    el("span", { className: `badge ${run.status}`, textContent: run.status }),
    el("span", { className: "muted", textContent: note }),
  );
}
