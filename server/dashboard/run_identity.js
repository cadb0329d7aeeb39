// Who a run is on the page, for its whole life: a letter from its place in
// the server's run order (A is the oldest run), a color picked once when it
// is first overlaid (kept in this browser's localStorage and in the URL), a
// name the user may give it (localStorage only: it is not sent to the
// server), and a label naming what sets it apart from the other overlaid runs.
import { RUN_COLORS } from "./charts.js";

const KEY = "nagare.runs";

function stored() {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

function store(id, patch) {
  const all = stored();
  all[id] = { ...all[id], ...patch };
  if (all[id].name === "") delete all[id].name;
  localStorage.setItem(KEY, JSON.stringify(all));
}

/** The letter of the run at `index` in creation order: A..Z, then AA, AB... */
export function letterOf(index) {
  let out = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  }
  return out;
}

/** The color index run `id` keeps, if it was ever given one. */
export const storedColor = (id) => stored()[id]?.color;

/**
 * Gives run `id` a color for good: the one it had, else the one after its
 * letter's (`index`) that none of the runs in `taken` (color indexes) uses.
 */
export function claimColor(id, index, taken) {
  const had = storedColor(id);
  if (had !== undefined) return had;
  let color = index % RUN_COLORS.length;
  for (let i = 0; i < RUN_COLORS.length && taken.includes(color); i++) {
    color = (color + 1) % RUN_COLORS.length;
  }
  store(id, { color });
  return color;
}

/** Keeps a color read from the URL, so that a shared link shows the same colors. */
export const keepColor = (id, color) => store(id, { color });

/** The name the user gave run `id`, or "". */
export const userName = (id) => stored()[id]?.name ?? "";

/** Names run `id` (an empty name clears it). */
export const rename = (id, name) => store(id, { name: name.trim() });

/** The overlaid runs and their colors from the URL: [{ id, color }]. */
export function readSelection() {
  const param = new URL(location.href).searchParams.get("runs") ?? "";
  return param.split(",").filter(Boolean).map((part) => {
    const [id, color] = part.split(":");
    const index = Number(color);
    return {
      id,
      color: Number.isInteger(index) && index >= 0 && index < RUN_COLORS.length ? index : undefined,
    };
  });
}

/** Writes the overlaid runs `[{ id, color }]` into the URL (no history entry). */
export function writeSelection(selection) {
  const url = new URL(location.href);
  if (selection.length === 0) url.searchParams.delete("runs");
  else url.searchParams.set("runs", selection.map((s) => `${s.id}:${s.color}`).join(","));
  const search = url.search.replaceAll("%3A", ":").replaceAll("%2C", ",");
  history.replaceState(history.state, "", `${url.pathname}${search}${url.hash}`);
}

const refName = (ref) => (ref && typeof ref === "object" ? ref.name : ref);

/**
 * A run config's settings as short text, for labels and the table.
 * @returns {Record<string, string>}
 */
export function settingsOf(config) {
  /** @type {Record<string, string>} */
  const out = {};
  if (!config) return out;
  for (const [key, value] of Object.entries(config)) {
    if (
      ["out", "id", "status", "createdAt", "startedAt", "endedAt", "links", "metrics"].includes(key)
    ) {
      continue; // a summary stands in until the config arrives
    }
    if (value === undefined) continue;
    if (key === "layers" && Array.isArray(value)) {
      out.layers = value.map((l) => `${l.units}:${refName(l.activation) ?? "identity"}`).join(",");
    } else if (key === "loss" || key === "optimizer") {
      const params = typeof value === "object" && value.params;
      out[key] = params && Object.keys(params).length
        ? `${value.name} ${JSON.stringify(params)}`
        : refName(value);
    } else out[key] = typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return out;
}

const SHORT = { batchSize: "batch", validationSplit: "val split", dataset: "", layers: "" };

/**
 * What tells each of `configs` apart from the others: the settings whose
 * values differ, e.g. ["lr 0.01", "lr 0.3"]; "" for each when one or none differ.
 */
export function differences(configs) {
  const settings = configs.map(settingsOf);
  if (settings.length < 2) return settings.map(() => "");
  const keys = [...new Set(settings.flatMap(Object.keys))].filter((key) =>
    new Set(settings.map((s) => s[key] ?? "–")).size > 1
  );
  return settings.map((s) =>
    keys.map((key) => {
      const short = SHORT[key] ?? key;
      return short ? `${short} ${s[key] ?? "–"}` : s[key] ?? "–";
    }).join(" · ")
  );
}
