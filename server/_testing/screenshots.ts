// Refreshes the README's dashboard screenshots from real runs, in headless Chromium against
// a server on 127.0.0.1 (run by hand, not by the tests): `deno task screenshots` writes
// docs/dashboard.png (iris, sigmoid against ReLU), docs/insights.png (an MNIST run's
// card: confusion matrix, misclassified digits, histograms), docs/decision_boundary.png
// (an xor run) and docs/dashboard_390.png (the MNIST run on a 390 px wide phone).
import type { Page } from "playwright-core";
import { createRegistry } from "../../core/checks/registry.ts";
import { parseRunConfig } from "../../jobs/run_config.ts";
import { builtinPlugins } from "../../plugins/mod.ts";
import { createApp } from "../app.ts";
import { loadAssets } from "../assets.ts";
import { launchJob } from "../launch_job.ts";
import { createRunStore } from "../run_store.ts";
import { openBrowser } from "./chromium.ts";
import { waitFor } from "./wait_for.ts";

const DOCS = new URL("../../docs/", import.meta.url).pathname;

/** Overlays exactly the runs `ids`, in that order, and waits for their cards. */
async function plot(page: Page, ids: string[]): Promise<void> {
  const checked = await page.$$eval(
    "#runs tbody tr:has(input[type=checkbox]:checked)",
    (rows) => rows.map((tr) => tr.getAttribute("data-run")),
  );
  for (const id of checked) await page.uncheck(`#runs tr[data-run="${id}"] input[type=checkbox]`);
  for (const id of ids) await page.check(`#runs tr[data-run="${id}"] input[type=checkbox]`);
  for (const id of ids) await page.waitForSelector(`.head[data-run="${id}"]`);
  await page.mouse.move(0, 0);
  await new Promise((r) => setTimeout(r, 500)); // charts settle after a resize
}

const store = createRunStore({ launch: launchJob({ backend: "ts" }), maxRunning: 2 });
const app = createApp({
  store,
  registry: createRegistry(builtinPlugins()),
  assets: () => loadAssets(),
});
const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
const browser = await openBrowser({ viewport: { width: 1440, height: 1000 } });
try {
  const iris = (activation: string) =>
    parseRunConfig({
      dataset: "iris",
      layers: [16, 16, 16].map((units) => ({ units, activation })).concat([
        { units: 3, activation: "softmax" },
      ]),
      epochs: 40,
    });
  const sigmoid = store.create(iris("sigmoid")).id, relu = store.create(iris("relu")).id;
  const mnist = store.create(parseRunConfig({
    dataset: "mnist",
    layers: [{ units: 64, activation: "relu" }, { units: 10, activation: "softmax" }],
    epochs: 3,
  })).id;
  const xor = store.create(parseRunConfig({
    dataset: "xor",
    layers: [{ units: 8, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
    epochs: 300,
  })).id;
  await waitFor(
    () => [sigmoid, relu, mnist, xor].every((id) => store.get(id)?.status === "done"),
    "the runs to finish",
    600_000,
  );
  const page = await browser.page();
  await page.goto(`http://127.0.0.1:${server.addr.port}/`);
  await page.waitForSelector(`#runs tr[data-run="${xor}"]`);

  await plot(page, [sigmoid, relu]);
  await page.screenshot({ path: `${DOCS}dashboard.png`, fullPage: true });

  await plot(page, [mnist]);
  await page.waitForSelector(`.head[data-run="${mnist}"] .insights .samples canvas`);
  await page.locator(`.head[data-run="${mnist}"]`).screenshot({ path: `${DOCS}insights.png` });

  await plot(page, [xor]);
  await page.waitForSelector(`#decision-maps .map[data-run="${xor}"] canvas`);
  await page.locator("#decision-maps").screenshot({ path: `${DOCS}decision_boundary.png` });

  await page.setViewportSize({ width: 390, height: 844 });
  await plot(page, [mnist]);
  await page.screenshot({ path: `${DOCS}dashboard_390.png`, fullPage: true });
  if (browser.problems.length) throw new Error(`the page had problems: ${browser.problems}`);
  console.log(
    `wrote dashboard.png, insights.png, decision_boundary.png, dashboard_390.png to ${DOCS}`,
  );
} finally {
  await browser.close();
  await store.close();
  await server.shutdown();
}
