// What a run teaches, in the dashboard, in headless Chromium against a real server on
// 127.0.0.1: an MNIST run's confusion matrix and misclassified digits, an xor run's
// decision boundary redrawn as it trains, a run stopped from the page downloading the
// weights it reached, and the page at a phone's 390 px without sideways scrolling.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { fromModelFile } from "../core/model/model_file.ts";
import { parseRunConfig } from "../jobs/run_config.ts";
import { launchJob } from "./launch_job.ts";
import type { Launch } from "./run_store.ts";
import { pacedLaunch } from "./_testing/paced_launch.ts";
import { waitFor } from "./_testing/wait_for.ts";
import { CHROMIUM, hasChromium } from "./_testing/chromium.ts";
import { withDashboard } from "./_testing/dashboard_app.ts";

interface Dashboard {
  nagareDashboard: {
    plotted(): string[];
    epochs(id: string): number[];
    decisionGrids(): Record<string, number | undefined>;
  };
}
type Page$ = typeof globalThis & Dashboard;

/** Paces the epoch events of runs other than MNIST (so the page watches xor train); MNIST at speed. */
function launch(): Launch {
  const real = launchJob({ backend: "ts" }), paced = pacedLaunch(real, 60);
  return (config, options) =>
    config.dataset === "mnist" ? real(config, options) : paced(config, options);
}

/** Overlays run `id` alone. */
async function plotOnly(page: Page, id: string): Promise<void> {
  await page.waitForSelector(`#runs tr[data-run="${id}"]`);
  for (const old of await page.evaluate(() => (globalThis as Page$).nagareDashboard.plotted())) {
    if (old !== id) await page.uncheck(`#runs tr[data-run="${old}"] input[type=checkbox]`);
  }
  await page.check(`#runs tr[data-run="${id}"] input[type=checkbox]`);
  await page.waitForSelector(`.head[data-run="${id}"]`);
}

Deno.test({
  name: hasChromium
    ? "the dashboard shows MNIST insights, a live xor boundary and a stopped run's model, also at 390 px, in headless Chromium"
    : `run insights in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`,
  ignore: !hasChromium,
}, (t) =>
  withDashboard(async ({ store, registry, url, browser, page }) => {
    const mnist = store.create(parseRunConfig({
      dataset: "mnist",
      layers: [{ units: 16, activation: "relu" }, { units: 10, activation: "softmax" }],
      epochs: 1,
      validationSplit: 0,
    })).id;
    await page.goto(url);

    await t.step("an xor run's decision boundary is redrawn as its epochs end", async () => {
      const xor = store.create(parseRunConfig({
        dataset: "xor",
        layers: [{ units: 8, activation: "tanh" }, { units: 1, activation: "sigmoid" }],
        lr: 0.05,
        epochs: 600, // a grid every 10 epochs, paced: half a minute of training, stopped sooner
      })).id;
      await plotOnly(page, xor);
      const map = `#decision-maps .map[data-run="${xor}"]`;
      const drawn = async (after: number) => {
        const handle = await page.waitForFunction(
          ({ id, after }) => {
            const epoch = (globalThis as Page$).nagareDashboard.decisionGrids()[id];
            return epoch !== undefined && epoch > after && epoch;
          },
          { id: xor, after },
        );
        const epoch = await handle.jsonValue() as number;
        const pixels = await page.$eval(
          `${map} canvas`,
          (c) => (c as unknown as { toDataURL(): string }).toDataURL(),
        );
        return { epoch, pixels, status: store.get(xor)?.status };
      };
      const first = await drawn(0);
      const later = await drawn(first.epoch + 20);
      assert.equal(first.status, "running", "the first map was drawn while the run trained");
      assert.ok(later.epoch > first.epoch);
      assert.notEqual(later.pixels, first.pixels, "the heat map changed between epochs");
      assert.match(await page.textContent(`${map} figcaption`) ?? "", /epoch \d+$/);
      await store.stop(xor);
      await waitFor(() => store.get(xor)?.status === "stopped", "the xor run to stop");
    });

    await t.step(
      "a finished MNIST run's card shows its 10 x 10 test confusion matrix and misclassified digits",
      async () => {
        await waitFor(
          () => store.get(mnist)?.status === "done",
          "the MNIST run to finish",
          300_000,
        );
        await plotOnly(page, mnist);
        const card = `.head[data-run="${mnist}"] .insights`;
        await page.waitForSelector(`${card} .confusion`);
        const test = store.get(mnist)!.test as { samples: number; accuracy: number };
        assert.match(await page.textContent(`${card} figcaption`) ?? "", /test set/);
        const cells = await page.$$eval(
          `${card} .confusion .cell`,
          (s) => s.map((c) => Number(c.textContent)),
        );
        assert.equal(cells.length, 100);
        assert.equal(cells.reduce((a, b) => a + b, 0), test.samples);
        const right = cells.filter((_, i) => i % 11 === 0).reduce((a, b) => a + b, 0);
        assert.equal(right / test.samples, test.accuracy);
        const digits = await page.$$eval(`${card} .samples .sample`, (s) =>
          s.map((x) => ({
            canvas: x.querySelector("canvas")?.width,
            label: x.querySelector("small")?.textContent ?? "",
          })));
        assert.ok(digits.length >= 1 && digits.length <= 16, `${digits.length} digits`);
        for (const { canvas, label } of digits) {
          assert.equal(canvas, 28);
          const [truth, predicted] = label.split(" → ").map(Number);
          assert.match(label, /^\d → \d$/);
          assert.notEqual(truth, predicted, `${label} is a mistake`);
        }
      },
    );

    await t.step(
      "at 390 px wide the page with insights shown does not scroll sideways",
      async () => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.reload();
        await page.waitForSelector(`.head[data-run="${mnist}"] .insights .confusion`);
        await page.waitForSelector("#chart-loss canvas");
        const width = await page.$eval("html", (html) => html.scrollWidth);
        const wide = await page.$$eval("body *", (all) =>
          all.filter((e) => {
            if (e.getBoundingClientRect().right <= 390.5) return false;
            for (let a = e.parentElement; a; a = a.parentElement) {
              const style = (globalThis as unknown as {
                getComputedStyle(e: unknown): { overflowX: string };
              }).getComputedStyle(a);
              if (style.overflowX !== "visible") return false; // scrolls inside
            }
            return true;
          }).slice(-5).map((e) =>
            `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`
          ));
        assert.ok(width <= 390, `the page is ${width} px wide: ${wide}`);
        await page.setViewportSize({ width: 1280, height: 1000 });
      },
    );

    await t.step(
      "a run stopped from the page downloads the weights it reached, marked stopped",
      async () => {
        const id = store.create(parseRunConfig({
          dataset: "mnist",
          layers: [{ units: 64, activation: "relu" }, { units: 10, activation: "softmax" }],
          epochs: 1000, // many minutes of training: it is stopped long before
          workers: 1,
        })).id;
        await plotOnly(page, id);
        const head = `.head[data-run="${id}"]`;
        await page.waitForFunction(
          (id) => (globalThis as Page$).nagareDashboard.epochs(id).length >= 1,
          id,
          { timeout: 180_000 }, // a hang guard: an MNIST epoch on a busy machine
        );
        // The card is redrawn as epochs end: the config a user opened stays open, in the same card.
        await page.click(`${head} details.config summary`);
        await page.$eval(head, (h) => Object.assign(h, { nagareMark: "kept" }));
        const seen = await page.evaluate(
          (id) => (globalThis as Page$).nagareDashboard.epochs(id).length,
          id,
        );
        await page.waitForFunction(
          ([id, seen]) => (globalThis as Page$).nagareDashboard.epochs(id).length >= seen + 2,
          [id, seen] as const,
          { timeout: 180_000 },
        );
        const card = await page.$eval(head, (h) => ({
          mark: (h as unknown as { nagareMark?: string }).nagareMark,
          open: (h.querySelector("details.config") as unknown as { open: boolean }).open,
        }));
        assert.deepEqual(
          card,
          { mark: "kept", open: true },
          "the card was rebuilt or its config closed",
        );
        await page.click(`${head} button.danger`);
        await waitFor(() => store.get(id)?.status === "stopped", "the run to stop");
        const button = `${head} button:text-is("Download model (as stopped)")`;
        await page.waitForSelector(button);
        const [download] = await Promise.all([page.waitForEvent("download"), page.click(button)]);
        assert.equal(download.suggestedFilename(), `nagare-${id}.json`);
        const model = JSON.parse(await Deno.readTextFile(await download.path()));
        const network = fromModelFile(model, { registry });
        assert.deepEqual(network.layers.map((l) => l.units), [64, 10]);
        assert.equal(model.training.status, "stopped");
        const epoch = model.training.metrics.epoch;
        assert.ok(epoch >= 1 && epoch < 1000, `stopped at epoch ${epoch}`);
      },
    );

    assert.deepEqual(browser.problems, []);
  }, {
    store: { launch: launch(), maxRunning: 2 },
    browser: { viewport: { width: 1280, height: 1000 }, downloads: true },
  }));
