// What the runs table and the chart legends call a run: its row of settings
// and results, and its label (letter, then the user's name or what differs
// between the overlaid runs).
import { differences, letterOf, settingsOf, storedColor, userName } from "./run_identity.js";

const text = (
  v,
) => (v === undefined ? undefined : typeof v === "object" ? JSON.stringify(v) : String(v));

/** The best validation score among epoch events: highest accuracy, else lowest loss. */
export function bestVal(points, latest) {
  const pick = (key) => points.map((p) => p[key]).filter((v) => typeof v === "number");
  const accuracy = pick("valAccuracy"), loss = pick("valLoss");
  if (accuracy.length) {
    return {
      value: Math.max(...accuracy),
      text: `acc ${(Math.max(...accuracy) * 100).toPrecision(3)}%`,
    };
  }
  if (loss.length) {
    return { value: Math.min(...loss), text: `loss ${Math.min(...loss).toPrecision(3)}` };
  }
  if (typeof latest?.valAccuracy === "number") {
    return {
      value: latest.valAccuracy,
      text: `acc ${(latest.valAccuracy * 100).toPrecision(3)}% (last)`,
    };
  }
  if (typeof latest?.valLoss === "number") {
    return { value: latest.valLoss, text: `loss ${latest.valLoss.toPrecision(3)} (last)` };
  }
  return {};
}

/**
 * Labels of the runs `views` (all with `letterIndex`): `A lr 0.01` when
 * overlaid with runs that differ in lr, the user's name when given, else
 * data set and layers; at most three differences are named. Returns a Map
 * id -> label (without the letter).
 */
export function runNames(views, overlaid) {
  const diffs = differences(overlaid.map((r) => r.detail?.config ?? r.summary));
  const short = (diff) => {
    const parts = diff.split(" · ");
    return parts.length > 3 ? `${parts.slice(0, 3).join(" · ")} …` : diff;
  };
  const diffOf = new Map(overlaid.map((r, i) => [r.id, short(diffs[i])]));
  return new Map(views.map((r) => [
    r.id,
    userName(r.id) || diffOf.get(r.id) ||
    `${text(r.summary?.dataset) ?? ""} ${r.summary?.layers ?? ""}`.trim(),
  ]));
}

/** The runs table's row of run view `r`, named `name`, overlaid in color `color` (or undefined). */
export function rowOf(r, name, color, now = Date.now()) {
  const s = r.summary ?? {};
  const settings = settingsOf(r.detail?.config);
  const latest = r.points.at(-1) ?? s.metrics;
  const best = bestVal(r.points, s.metrics);
  const test = r.test ?? r.detail?.test;
  const started = s.startedAt ? Date.parse(s.startedAt) : undefined;
  const ended = s.endedAt ? Date.parse(s.endedAt) : undefined;
  return {
    id: r.id,
    letterIndex: r.letterIndex,
    letter: letterOf(r.letterIndex),
    name,
    userName: userName(r.id),
    title: Object.entries(settings).map(([k, v]) => `${k}: ${v}`).join("\n") || name,
    color: color ?? storedColor(r.id),
    selected: color !== undefined,
    status: r.status,
    live: s.live === true,
    dataset: text(s.dataset) ?? "–",
    layers: s.layers ?? "–",
    loss: settings.loss,
    optimizer: settings.optimizer,
    lr: r.detail?.config?.lr,
    batchSize: r.detail?.config?.batchSize,
    bestVal: best.value,
    bestValText: best.text,
    testAccuracy: typeof test?.accuracy === "number" ? test.accuracy : undefined,
    samplesPerSec: latest?.samplesPerSec,
    durationMs: started === undefined ? undefined : (ended ?? now) - started,
  };
}
