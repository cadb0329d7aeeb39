// Comparing runs in the dashboard, in headless Chromium against a real
// server on 127.0.0.1: a sortable, filterable runs table; eight runs overlaid
// with colors and labels that survive a reload; values on hover; readable
// ticks; per-run results, config, insights (confusion matrix, histograms) and
// downloads; and a step-level loss curve drawn before the first epoch ends.
import assert from "node:assert/strict";
import { concatMap, from, map, of, timer } from "rxjs";
import { predict } from "../core/math/predict.ts";
import { fromModelFile } from "../core/model/model_file.ts";
import { parseRunConfig } from "../jobs/run_config.ts";
import { launchJob } from "./launch_job.ts";
import type { Launch } from "./run_store.ts";
import { waitFor } from "./_testing/wait_for.ts";
import { CHROMIUM, hasChromium } from "./_testing/chromium.ts";
import { withDashboard } from "./_testing/dashboard_app.ts";

const IRIS = {
  dataset: "iris",
  layers: [{ units: 8, activation: "relu" }, { units: 3, activation: "softmax" }],
  loss: "crossEntropy",
};
const RATES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.8];

interface Dashboard {
  nagareDashboard: {
    plotted(): string[];
    colors(): Record<string, string>;
    epochs(id: string): number[];
    steps(id: string): number[];
    chartData(id: string): (number | null)[][] | undefined;
    ticks(id: string): { x: string[]; y: string[] } | undefined;
    decisionMaps(): Record<string, number[]>;
  };
}

/**
 * For runs whose config has `seed` 7: paces batch events past the server's
 * batch sampling (one per 50 ms), so that each reaches the page, and holds
 * epoch events until `open()`.
 */
function gatedLaunch(inner: Launch) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const launch: Launch = async (config, options) => {
    const training = await inner(config, options);
    if (config.seed !== 7) return training;
    return {
      ...training,
      events$: training.events$.pipe(
        concatMap((e) =>
          e.type === "epoch"
            ? from(gate).pipe(map(() => e))
            : e.type === "batch"
            ? timer(60).pipe(map(() => e))
            : of(e)
        ),
      ),
    };
  };
  return { launch, open: () => open() };
}

type Page$ = typeof globalThis & Dashboard;

Deno.test({
  name: hasChromium
    ? "the dashboard compares eight runs in a table, with stable colors, hover values and downloads, in headless Chromium"
    : `comparing runs in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`,
  ignore: !hasChromium,
}, (t) => {
  const gated = gatedLaunch(launchJob({ backend: "ts" }));
  return withDashboard(async ({ store, registry, url, browser, page }) => {
    const ids = RATES.map((lr) => store.create(parseRunConfig({ ...IRIS, lr, epochs: 6 })).id);
    const xor = store.create(parseRunConfig({ dataset: "xor", epochs: 4 })).id;
    await waitFor(
      () => [...ids, xor].every((id) => store.get(id)?.status === "done"),
      "the nine runs to finish",
      120_000,
    );
    await page.goto(url);
    const rows = () => page.$$eval("#runs tbody tr", (trs) => trs.map((tr) => tr.dataset.run));
    /**
     * Focuses the element at `selector` as a keyboard user would, marked `name` (a property of
     * the node, not an attribute: updating a row in place drops attributes it did not set).
     */
    const focus = (selector: string, name: string) =>
      page.$eval(selector, (node, name) => {
        node.focus();
        Object.assign(node, { probe: name });
      }, name);
    /** The mark of the node that has the focus. */
    const focused = () =>
      page.evaluate(() =>
        // deno-lint-ignore no-explicit-any
        (globalThis as any).document.activeElement?.probe as string | undefined
      );

    await t.step("the table lists every run and overlays none the user did not pick", async () => {
      await page.waitForSelector(`#runs tr[data-run="${xor}"]`);
      assert.equal((await rows()).length, 9);
      assert.deepEqual(
        await page.evaluate(() => (globalThis as Page$).nagareDashboard.plotted()),
        [],
      );
      assert.match(await page.textContent(`#runs tr[data-run="${ids[0]}"]`) ?? "", /adam/);
    });

    await t.step(
      "a click on a header sorts by it, and the filter keeps matching rows",
      async () => {
        await page.click("#runs th[data-key=lr] button");
        await page.waitForSelector("#runs th.sorted[data-key=lr]");
        const byLr = await rows();
        assert.deepEqual(byLr.filter((id) => id !== xor), ids);
        await page.click("#runs th[data-key=lr] button");
        assert.deepEqual((await rows()).filter((id) => id !== xor), [...ids].reverse());
        await page.fill("#runs .run-filter", "xor");
        assert.deepEqual(await rows(), [xor]);
        await page.fill("#runs .run-filter", "");
        assert.equal((await rows()).length, 9);
      },
    );

    await t.step("eight ticked runs are overlaid, each labelled by its learning rate", async () => {
      for (const id of ids) await page.check(`#runs tr[data-run="${id}"] input[type=checkbox]`);
      await page.locator(".head").nth(7).waitFor();
      assert.deepEqual(
        await page.evaluate(() => (globalThis as Page$).nagareDashboard.plotted()),
        ids,
      );
      const colors = await page.evaluate(() => (globalThis as Page$).nagareDashboard.colors());
      assert.equal(new Set(Object.values(colors)).size, 8, "eight distinct colors");
      await page.waitForSelector('.head strong:text("lr")');
      const titles = await page.$$eval(".head strong", (s) => s.map((x) => x.textContent));
      assert.deepEqual(titles, RATES.map((lr, i) => `${String.fromCharCode(65 + i)} lr ${lr}`));
    });

    const legendValues = async (chart: string) => {
      const box = (await page.$(`#${chart} .u-over`))!;
      await box.scrollIntoViewIfNeeded();
      const { x, y, width, height } = (await box.boundingBox())!;
      await page.mouse.move(x + width / 2, y + height / 2);
      return await page.$$eval(`#${chart} .u-legend .u-series`, (trs) =>
        trs.map((tr) => [
          tr.querySelector(".u-label")?.textContent ?? "",
          tr.querySelector(".u-value")?.textContent ?? "",
        ]));
    };

    await t.step("hovering the loss chart shows every series' value at that epoch", async () => {
      await page.waitForFunction(
        (id) => (globalThis as Page$).nagareDashboard.epochs(id).length === 6,
        ids[7],
      );
      const values = await legendValues("chart-loss");
      assert.equal(values.length, 1 + 8 * 2, "epoch, then training and validation of 8 runs");
      assert.match(values[0][1], /^[1-6]$/, `the epoch under the cursor: ${values[0]}`);
      assert.deepEqual(values[1], [values[1][0], values[1][1]]);
      assert.match(values[1][0], /^A lr 0\.01 · training$/);
      assert.match(values[2][0], /^A · validation$/);
      for (const [label, value] of values.slice(1)) {
        assert.ok(Number.isFinite(Number(value)), `${label} reads ${value}`);
      }
    });

    await t.step("epoch ticks are whole numbers and every axis' labels are distinct", async () => {
      for (const chart of ["chart-loss", "chart-accuracy", "chart-lr", "chart-grads"]) {
        const ticks = (await page.evaluate((id) =>
          (globalThis as Page$).nagareDashboard.ticks(id), chart))!;
        const x = ticks.x.filter(Boolean), y = ticks.y.filter(Boolean);
        assert.ok(x.length >= 2 && x.every((l) => /^\d+$/.test(l)), `${chart} x: ${ticks.x}`);
        assert.equal(new Set(y).size, y.length, `${chart} y: ${ticks.y}`);
        assert.ok(y.length >= 2, `${chart} y: ${ticks.y}`);
      }
    });

    await t.step("the gradient chart colors by run and styles by layer", async () => {
      const labels = (await legendValues("chart-grads")).slice(1).map(([label]) => label);
      assert.deepEqual(labels.slice(0, 2), ["A layer 1", "A layer 2"]);
    });

    await t.step("the selection, the colors and a new name survive a reload", async () => {
      const colors = await page.evaluate(() => (globalThis as Page$).nagareDashboard.colors());
      await page.click(`#runs tr[data-run="${ids[2]}"] button.rename`);
      await page.fill(`#runs tr[data-run="${ids[2]}"] .rename-input`, "the middle one");
      await page.press(`#runs tr[data-run="${ids[2]}"] .rename-input`, "Enter");
      await page.waitForSelector('.head strong:text-is("C the middle one")');
      assert.match(page.url(), /\?runs=/);
      await page.reload();
      await page.locator(".head").nth(7).waitFor();
      assert.deepEqual(
        await page.evaluate(() => (globalThis as Page$).nagareDashboard.plotted()),
        ids,
      );
      assert.deepEqual(
        await page.evaluate(() => (globalThis as Page$).nagareDashboard.colors()),
        colors,
      );
      assert.match(
        await page.textContent(`#runs tr[data-run="${ids[2]}"]`) ?? "",
        /the middle one/,
      );
      await page.uncheck(`#runs tr[data-run="${ids[0]}"] input[type=checkbox]`);
      await page.check(`#runs tr[data-run="${xor}"] input[type=checkbox]`);
      const after = await page.evaluate(() => (globalThis as Page$).nagareDashboard.colors());
      for (const id of ids.slice(1)) assert.equal(after[id], colors[id], "the others keep theirs");
      assert.ok(
        !Object.values(colors).slice(1).includes(after[xor]),
        "the new run's color is free",
      );
    });

    await t.step("a finished xor run shows its decision boundary", async () => {
      await page.waitForSelector(`#decision-maps .map[data-run="${xor}"] canvas`);
      await page.waitForFunction(
        (id) => (globalThis as Page$).nagareDashboard.decisionMaps()[id] !== undefined,
        xor,
      );
      const probabilities = await page.evaluate(
        (id) => (globalThis as Page$).nagareDashboard.decisionMaps()[id],
        xor,
      );
      const model = await (await fetch(new URL(`/api/runs/${xor}/model`, url))).json();
      const rows = { data: new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]), rows: 4, cols: 2 };
      const expected = predict(fromModelFile(model, { registry }), rows).data;
      probabilities.forEach((p, i) =>
        assert.ok(Math.abs(p - expected[i]) < 1e-5, `row ${i}: page ${p}, nagare ${expected[i]}`)
      );
    });

    await t.step("a run card shows test scores, speed, time and its config", async () => {
      const head = `.head[data-run="${ids[7]}"]`;
      await page.waitForSelector(`${head} details.config`);
      const facts = await page.textContent(`${head} .facts`) ?? "";
      assert.match(facts, /test acc \d/);
      assert.match(facts, /samples\/s/);
      assert.match(facts, /elapsed \d/);
      await page.click(`${head} details.config summary`);
      assert.match(await page.textContent(`${head} details.config pre`) ?? "", /"lr": 0.8/);
      assert.match(
        await page.textContent(`#runs tr[data-run="${ids[7]}"] .c-testAccuracy`) ?? "",
        /%/,
      );
    });

    await t.step(
      "a finished run's card shows its test confusion matrix and layer histograms",
      async () => {
        const card = `.head[data-run="${ids[7]}"] .insights`;
        const test = store.get(ids[7])!.test as { samples: number; accuracy: number };
        await page.waitForSelector(`${card} .confusion`);
        assert.equal(
          await page.getAttribute(`${card} .confusion`, "data-total"),
          String(test.samples),
        );
        const cells = await page.$$eval(
          `${card} .confusion .cell`,
          (s) => s.map((c) => Number(c.textContent)),
        );
        assert.equal(cells.length, 9);
        assert.equal(
          cells.reduce((a, b) => a + b, 0),
          test.samples,
        );
        assert.equal((cells[0] + cells[4] + cells[8]) / test.samples, test.accuracy);
        await page.hover(`${card} .confusion .cell >> nth=1`);
        assert.match(
          await page.getAttribute(`${card} .confusion .cell >> nth=1`, "title") ?? "",
          new RegExp(`^true 0 → predicted 1: ${cells[1]} of \\d+`),
        );
        assert.equal(await page.locator(`${card} .histograms .layer canvas`).count(), 2);
        const words = await page.$$eval(
          `${card} .histograms .layer small`,
          (s) => s.map((x) => x.textContent),
        );
        assert.match(words[0] ?? "", /^layer 1 \(relu, 8 units\): \d+% of ReLU units dead$/);
        assert.equal(words[1], "layer 2 (softmax, 3 units)");
        assert.equal(
          await page.locator(`${card} .samples canvas`).count(),
          0,
          "iris has no images",
        );
      },
    );

    await t.step("metrics download as CSV and a chart as PNG", async () => {
      const [csv] = await Promise.all([
        page.waitForEvent("download"),
        page.click(`.head[data-run="${ids[7]}"] button.csv`),
      ]);
      assert.equal(csv.suggestedFilename(), `nagare-${ids[7]}-metrics.csv`);
      const lines = (await Deno.readTextFile(await csv.path())).trim().split("\n");
      assert.equal(lines[0], "epoch,loss,valLoss,accuracy,valAccuracy,lr,samplesPerSec,elapsedMs");
      assert.deepEqual(lines.slice(1).map((l) => l.split(",")[0]), ["1", "2", "3", "4", "5", "6"]);
      const [png] = await Promise.all([
        page.waitForEvent("download"),
        page.click("figure:has(#chart-loss) button.png"),
      ]);
      assert.equal(png.suggestedFilename(), "nagare-loss.png");
      const bytes = await Deno.readFile(await png.path());
      assert.deepEqual([...bytes.slice(1, 4)], [80, 78, 71], "a PNG file");
    });

    await t.step(
      "the step loss curve is drawn from the first batch, and smoothing changes it",
      async () => {
        const before = await page.evaluate(() => (globalThis as Page$).nagareDashboard.plotted());
        // A checkbox the user has focused keeps the focus when a new run joins the table.
        await focus(`#runs tr[data-run="${ids[0]}"] input[type=checkbox]`, "box");
        const id = store.create(parseRunConfig({ ...IRIS, epochs: 2, batchSize: 4, seed: 7 })).id;
        await page.waitForSelector(`#runs tr[data-run="${id}"]`);
        assert.equal(await focused(), "box", "the focused checkbox kept the focus");
        assert.deepEqual(
          await page.evaluate(() => (globalThis as Page$).nagareDashboard.plotted()),
          before,
          "a run started elsewhere is listed, not overlaid",
        );
        for (const old of before) {
          await page.uncheck(`#runs tr[data-run="${old}"] input[type=checkbox]`);
        }
        await page.check(`#runs tr[data-run="${id}"] input[type=checkbox]`);
        await page.waitForFunction(
          () => (globalThis as Page$).nagareDashboard.chartData("chart-steps")?.[0].length! > 2,
        );
        assert.deepEqual(
          await page.evaluate((id) => (globalThis as Page$).nagareDashboard.epochs(id), id),
          [],
          "no epoch has ended",
        );
        const [, raw, smoothed] = (await page.evaluate(() =>
          (globalThis as Page$).nagareDashboard.chartData("chart-steps")
        ))!;
        assert.notDeepEqual(raw, smoothed);
        await page.fill("#smoothing", "0");
        await page.waitForFunction(() => {
          const [, raw, smoothed] = (globalThis as Page$).nagareDashboard
            .chartData("chart-steps")!;
          return JSON.stringify(raw) === JSON.stringify(smoothed);
        });
        // A rename button the user has focused keeps it while its run's row changes.
        await focus(`#runs tr[data-run="${id}"] button.rename`, "pencil");
        gated.open();
        await waitFor(() =>
          store.get(id)?.status === "done", "the gated run to finish");
        await page.waitForSelector(`#runs tr[data-run="${id}"] .badge.done`);
        assert.equal(await focused(), "pencil", "the focused rename button kept the focus");
      },
    );

    assert.deepEqual(browser.problems, []);
  }, {
    store: { launch: gated.launch, maxRunning: 2 },
    browser: { viewport: { width: 1440, height: 1200 }, downloads: true },
  });
});
