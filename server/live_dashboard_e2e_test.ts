// A live run in the dashboard, in headless Chromium against a real server on
// 127.0.0.1: a run started through the API trains on a 2-D stream posted as
// NDJSON; the page lists it as live, replays its windows from the events
// stream into the window accuracy chart, downloads its current model and
// stops it, and a data-set run still opens the epoch charts afterwards.
import assert from "node:assert/strict";
import { parseRunConfig } from "../jobs/run_config.ts";
import { lineSamples } from "./_testing/line_samples.ts";
import { waitFor } from "./_testing/wait_for.ts";
import { CHROMIUM, hasChromium } from "./_testing/chromium.ts";
import { withDashboard } from "./_testing/dashboard_app.ts";

const WINDOW = 400, BODIES = 4, PER_BODY = 800; // 3,200 samples: 100 steps of 32, 8 windows

interface Dashboard {
  nagareDashboard: {
    plotted(): string[];
    windows(id: string): number[];
    chartData(id: string): (number | null)[][] | undefined;
  };
}

Deno.test({
  name: hasChromium
    ? "the dashboard lists a live run as live and plots its window accuracy against samples in headless Chromium"
    : `the live run view in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`,
  ignore: !hasChromium,
}, (t) =>
  withDashboard(async ({ store, live, url, browser, page }) => {
    const post = async (path: string, body: string, type = "application/json") => {
      const res = await fetch(new URL(path, url), {
        method: "POST",
        headers: { "content-type": type },
        body,
      });
      assert.ok(res.ok, `${path}: ${res.status} ${await res.clone().text()}`);
      return await res.json();
    };
    const epochRun = store.create(parseRunConfig({ dataset: "xor", epochs: 5 }));
    const run = await post(
      "/api/runs",
      JSON.stringify({
        dataset: { live: { inputs: 2, outputs: 2 } },
        layers: [{ units: 16, activation: "tanh" }, { units: 2, activation: "softmax" }],
        window: WINDOW,
      }),
    );
    for (let i = 0; i < BODIES; i++) {
      const answer = await post(
        run.links.samples,
        lineSamples(PER_BODY, i + 1),
        "application/x-ndjson",
      );
      assert.equal(answer.accepted, PER_BODY);
    }
    await page.goto(url);

    await t.step("the runs list marks the live run, and ticking it plots it alone", async () => {
      await page.waitForSelector("#runs tr .badge.live");
      assert.equal((await page.$$("#runs tr .badge.live")).length, 1);
      assert.equal((await page.$$("#runs tbody tr")).length, 2);
      if (
        !(await page.evaluate(() => (globalThis as unknown as Dashboard).nagareDashboard.plotted()))
          .includes(run.id)
      ) {
        await page.click("#runs tr:has(.badge.live) input[type=checkbox]");
      }
      await page.waitForFunction(
        (id) => (globalThis as unknown as Dashboard).nagareDashboard.plotted().join() === id,
        run.id,
      );
      assert.ok(await page.isVisible("#live-charts"));
      assert.ok(await page.isHidden("#epoch-charts"));
    });

    await t.step(
      "the window accuracy chart has one point per window, replayed from the start",
      async () => {
        const windows = Array.from(
          { length: BODIES * PER_BODY / WINDOW },
          (_, i) => (i + 1) * WINDOW,
        );
        await page.waitForFunction(
          (n) =>
            (globalThis as unknown as Dashboard).nagareDashboard.chartData("chart-window-accuracy")
              ?.[0].length === n,
          windows.length,
        );
        assert.deepEqual(
          await page.evaluate(
            (id) => (globalThis as unknown as Dashboard).nagareDashboard.windows(id),
            run.id,
          ),
          windows,
        );
        const [x, accuracy] = await page.evaluate(() =>
          (globalThis as unknown as Dashboard).nagareDashboard.chartData("chart-window-accuracy")!
        );
        assert.deepEqual(x, windows);
        assert.equal(accuracy.length, windows.length);
        assert.ok(accuracy.every((a) => typeof a === "number" && a >= 0 && a <= 1), `${accuracy}`);
        assert.ok(accuracy.at(-1)! >= 0.9, `last window accuracy ${accuracy.at(-1)}`);
        const [, loss] = await page.evaluate(() =>
          (globalThis as unknown as Dashboard).nagareDashboard.chartData("chart-window-loss")!
        );
        assert.equal(loss.filter((l) => typeof l === "number" && l > 0).length, windows.length);
        assert.ok(await page.$("#chart-window-accuracy canvas"), "accuracy chart drawn");
        const facts = await page.textContent(".head .facts") ?? "";
        assert.match(facts, /3,200 samples · 0 pending · window 8/);
        assert.equal(await page.getAttribute(".head", "data-points"), String(windows.length));
      },
    );

    await t.step("the download button saves the current weights", async () => {
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click(".head button:text('Download model')"),
      ]);
      assert.equal(download.suggestedFilename(), `nagare-${run.id}.json`);
      const model = JSON.parse(await Deno.readTextFile(await download.path()));
      assert.equal(model.format, "nagare-model");
      assert.deepEqual(model.training, { step: 100, samples: 3200 });
    });

    await t.step("the Stop button stops the live run", async () => {
      await page.click(".head button.danger");
      await waitFor(() => live!.get(run.id)?.status === "stopped", "the live run to stop");
      await page.waitForSelector(".head .badge.stopped");
      assert.equal(await page.$(".head button.danger"), null);
    });

    await t.step("ticking a data-set run brings back the epoch charts", async () => {
      await page.click(`#runs tbody tr:not(:has(.badge.live)) input[type=checkbox]`);
      await page.waitForFunction(
        (id) => (globalThis as unknown as Dashboard).nagareDashboard.plotted().join() === id,
        epochRun.id,
      );
      assert.ok(await page.isVisible("#epoch-charts"));
      assert.ok(await page.isHidden("#live-charts"));
      assert.ok(await page.$("#chart-loss canvas"), "loss chart drawn");
    });

    assert.deepEqual(browser.problems, []);
  }, {
    live: { launch: { flushMs: 0 } },
    app: { maxBodyBytes: 1 << 20 },
    browser: { viewport: { width: 1280, height: 900 }, downloads: true },
  }));
