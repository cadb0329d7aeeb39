/**
 * The dashboard's files: our own HTML, JS and CSS beside this module, and
 * uPlot's built files read from its npm package. No CDN: the server serves
 * everything the page needs.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One file to serve. */
export interface Asset {
  readonly body: Uint8Array;
  readonly type: string;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
};

/** URL path → file in server/dashboard/. */
const OWN_FILES: Record<string, string> = {
  "/": "index.html",
  "/activations": "activations.html",
  "/sweeps": "sweeps.html",
  "/assets/dashboard.js": "dashboard.js",
  "/assets/api.js": "api.js",
  "/assets/charts.js": "charts.js",
  "/assets/run_form.js": "run_form.js",
  "/assets/run_cards.js": "run_cards.js",
  "/assets/morph.js": "morph.js",
  "/assets/live_view.js": "live_view.js",
  "/assets/axes.js": "axes.js",
  "/assets/decision_map.js": "decision_map.js",
  "/assets/insights_view.js": "insights_view.js",
  "/assets/export.js": "export.js",
  "/assets/run_identity.js": "run_identity.js",
  "/assets/run_rows.js": "run_rows.js",
  "/assets/run_table.js": "run_table.js",
  "/assets/step_series.js": "step_series.js",
  "/assets/activations.js": "activations.js",
  "/assets/sweeps.js": "sweeps.js",
  "/assets/sweep_board.js": "sweep_board.js",
  "/assets/sweep_charts.js": "sweep_charts.js",
  "/assets/style.css": "style.css",
  "/assets/runs.css": "runs.css",
  "/assets/run_table.css": "run_table.css",
  "/assets/sweeps.css": "sweeps.css",
};

const UPLOT_FILES: Record<string, string> = {
  "/assets/uplot.min.js": "uPlot.iife.min.js",
  "/assets/uplot.min.css": "uPlot.min.css",
};

/**
 * Every URL path the dashboard serves.
 *
 * @example
 * ```ts
 * import { ASSET_PATHS } from "./assets.ts";
 * ASSET_PATHS.includes("/assets/uplot.min.js"); // true
 * ```
 */
export const ASSET_PATHS: readonly string[] = [
  ...Object.keys(OWN_FILES),
  ...Object.keys(UPLOT_FILES),
];

/** Folder of the uPlot package's built files. */
function uplotDist(): string {
  const main = import.meta.resolve("uplot");
  if (main.startsWith("file:")) return dirname(fileURLToPath(main));
  return dirname(createRequire(import.meta.url).resolve("uplot/dist/uPlot.iife.min.js"));
}

const typeOf = (file: string) =>
  TYPES[file.slice(file.lastIndexOf(".") + 1)] ?? "application/octet-stream";

/**
 * Reads every dashboard file, keyed by the URL path that serves it. Throws
 * with a hint when the uPlot package is not installed.
 *
 * @example
 * ```ts ignore
 * const assets = await loadAssets();
 * assets.get("/assets/uplot.min.js")?.type; // "text/javascript; charset=utf-8"
 * ```
 */
export async function loadAssets(): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  const own = new URL("./dashboard/", import.meta.url);
  for (const [path, file] of Object.entries(OWN_FILES)) {
    assets.set(path, { body: await Deno.readFile(new URL(file, own)), type: typeOf(file) });
  }
  let dist: string;
  try {
    dist = uplotDist();
    for (const [path, file] of Object.entries(UPLOT_FILES)) {
      assets.set(path, { body: await Deno.readFile(join(dist, file)), type: typeOf(file) });
    }
  } catch (error) {
    throw new Error(
      `Cannot read uPlot's files from its npm package: run \`deno install\` first (${error})`,
      {
        cause: error,
      },
    );
  }
  return assets;
}
