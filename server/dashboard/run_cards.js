// The dashboard's run cards: one head card per plotted run (status,
// progress, results, speed, config, stop, downloads).
import { api } from "./api.js";
import { RUN_COLORS } from "./charts.js";
import { saveMetricsCsv } from "./export.js";

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

/** A duration in ms for people: 42 s, 3 min 5 s, 1 h 2 min. */
export function duration(ms) {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return "–";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Training time so far and the estimated time left, from the last epoch event. */
export function timing(run, epochs) {
  const last = run.points.at(-1);
  const elapsed = run.end?.elapsedMs ?? last?.elapsedMs;
  const eta = last && !FINAL.has(run.status) && epochs > last.epoch
    ? (last.elapsedMs / last.epoch) * (epochs - last.epoch)
    : undefined;
  return { elapsed, eta };
}

/** The head card of plotted run `run` (its `color` index set), titled `title`. */
export function runHead(run, title) {
  const last = run.points.at(-1);
  const epochs = run.epochs ?? run.summary?.epochs ?? 0;
  const progress = el("progress", { max: epochs || 1, value: last?.epoch ?? 0 });
  // A stopped run keeps the weights it reached: its model downloads too.
  const download = run.status === "done" || run.status === "stopped"
    ? el("button", {
      textContent: run.status === "done" ? "Download model" : "Download model (as stopped)",
      onclick: () => downloadModel(run.id).catch((e) => alert(e.message)),
    })
    : undefined;
  const csv = el("button", {
    textContent: "Metrics CSV",
    className: "csv",
    disabled: run.points.length === 0,
    onclick: () => saveMetricsCsv(run),
  });
  const { elapsed, eta } = timing(run, epochs);
  const test = run.test ?? run.detail?.test;
  const facts = [
    `epoch ${last?.epoch ?? 0}/${epochs}`,
    `loss ${fmt(last?.loss)}`,
    last?.valLoss !== undefined ? `val ${fmt(last.valLoss)}` : undefined,
    last?.accuracy !== undefined ? `acc ${fmt(last.accuracy * 100, 3)}%` : undefined,
    test?.accuracy !== undefined ? `test acc ${fmt(test.accuracy * 100, 3)}%` : undefined,
    test?.loss !== undefined ? `test loss ${fmt(test.loss)}` : undefined,
    run.batch && !FINAL.has(run.status) ? `batch loss ${fmt(run.batch.loss)}` : undefined,
    last?.samplesPerSec !== undefined ? `${fmt(last.samplesPerSec, 3)} samples/s` : undefined,
    elapsed !== undefined ? `elapsed ${duration(elapsed)}` : undefined,
    eta !== undefined ? `ETA ${duration(eta)}` : undefined,
  ];
  const config = run.detail?.config
    ? el(
      "details",
      { className: "config" },
      el("summary", { textContent: "config" }),
      el("pre", { textContent: JSON.stringify(run.detail.config, null, 2) }),
    )
    : undefined;
  return headCard(run, run.color ?? 0, "", {
    title,
    progress,
    facts,
    download: [csv, download],
    points: run.points.length,
    after: config,
  });
}

// A card is rebuilt on every draw (many a second while a run trains) and
// morphed into the one shown (morph.js), which keeps its buttons. The press
// itself stops the run (a click still does, for the keyboard); one function
// per run, so that the press and the click after it ask once.
const stoppers = new Map();
const stopButton = (id) => {
  if (!stoppers.has(id)) {
    let asked = false;
    stoppers.set(id, () => {
      if (asked) return;
      asked = true;
      api(`/api/runs/${id}/stop`, { method: "POST" }).catch((e) => {
        asked = false;
        alert(e.message);
      });
    });
  }
  const stop = stoppers.get(id);
  return el("button", {
    textContent: "Stop",
    className: "danger",
    onpointerdown: (e) => e.button === 0 && stop(),
    onclick: stop,
  });
};

/**
 * The head card of a plotted run, for runHead and the live view: title,
 * status, connection, then `progress`, the `facts` (undefined ones are
 * skipped), the error, Stop while the run can change, and `download`.
 * `points` (the points plotted) goes to its data-points attribute; `after`
 * (the config) comes last, on a line of its own.
 */
export function headCard(
  run,
  i,
  tag,
  { title, progress, facts, download, points, badges = [], after },
) {
  if (FINAL.has(run.status)) stoppers.delete(run.id);
  const stop = FINAL.has(run.status) ? undefined : stopButton(run.id);
  const head = el(
    "div",
    { className: "card head", style: `--run: ${RUN_COLORS[i]}` },
    el(
      "div",
      { className: "head-title" },
      el("strong", {
        textContent: title ?? `${tag}${run.summary?.dataset ?? ""}`,
        title: title ?? "",
      }),
      title?.includes(run.summary?.layers)
        ? undefined
        : el("code", { textContent: run.summary?.layers ?? run.id.slice(0, 8) }),
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
    el("span", { className: "actions" }, stop, ...[download].flat()),
    after,
  );
  Object.assign(head.dataset, { run: run.id, points: String(points) });
  return head;
}

/** The badge that marks a live run (one that trains on posted samples). */
export const liveBadge = () =>
  el("span", { className: "badge live", textContent: "live", title: "trains on posted samples" });
