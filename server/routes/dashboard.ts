/**
 * The dashboard pages and their assets, served from memory.
 *
 * @module
 */
import { Hono } from "hono";
import { type Asset, ASSET_PATHS, loadAssets } from "../assets.ts";

// Scripts and styles only from this server; uPlot sets styles through the CSSOM, which CSP allows.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Serves `/`, `/activations`, `/sweeps` and `/assets/*`. Files are read once, at the
 * first request, so creating the app does no I/O.
 *
 * @example
 * ```ts ignore
 * app.route("/", dashboardRoutes());
 * ```
 */
export function dashboardRoutes(load: () => Promise<Map<string, Asset>> = loadAssets): Hono {
  let assets: Promise<Map<string, Asset>> | undefined;
  const app = new Hono();
  const serve = (path: string) =>
    app.get(path, async (c) => {
      assets ??= load().catch((error) => {
        assets = undefined; // retry on the next request
        throw error;
      });
      const asset = (await assets).get(path)!;
      c.header("Content-Type", asset.type);
      c.header("Cache-Control", "no-cache");
      c.header("X-Content-Type-Options", "nosniff");
      if (asset.type.startsWith("text/html")) {
        c.header("Content-Security-Policy", CSP);
        c.header("Referrer-Policy", "no-referrer");
      }
      return c.body(asset.body as Uint8Array<ArrayBuffer>);
    });
  for (const path of ASSET_PATHS) serve(path);
  return app;
}
