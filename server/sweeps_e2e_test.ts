// The sweep view in headless Chromium against a real server with a token:
// a small iris sweep started through the API, watched live, ranked, sorted,
// filtered, plotted, its best model downloaded; another one stopped from
// the page. Saves docs/sweep.png on request.
import assert from "node:assert/strict";
import { launchJob } from "./launch_job.ts";
import { pacedLaunch } from "./_testing/paced_launch.ts";
import { CHROMIUM, hasChromium } from "./_testing/chromium.ts";
import { withDashboard } from "./_testing/dashboard_app.ts";

const TOKEN = "sweep-e2e-secret-token";
const BEARER = { authorization: `Bearer ${TOKEN}` };
// The README's screenshot (of examples/sweep_iris.json) is refreshed only on request:
// NAGARE_UPDATE_SCREENSHOT=1 deno task test
const UPDATE = Boolean(Deno.env.get("NAGARE_UPDATE_SCREENSHOT"));

const SMALL_SWEEP = {
  name: "iris, small",
  method: "random",
  metric: { name: "val_accuracy", goal: "maximize" },
  parameters: {
    "layers.0.activation": { values: ["sigmoid", "relu"] },
    lr: { distribution: "log_uniform_values", min: 0.003, max: 0.3 },
  },
  early_terminate: { type: "hyperband", min_iter: 2, eta: 2 },
  run_cap: 5,
  seed: 3,
  run: { dataset: "iris", epochs: 6 },
};
const SWEEP = UPDATE
  ? JSON.parse(await Deno.readTextFile(new URL("../examples/sweep_iris.json", import.meta.url)))
  : SMALL_SWEEP;

interface Trial {
  index: number;
  id?: string;
  status: string;
  epochs: number;
  metric?: number;
}
interface SweepView {
  nagareSweeps: {
    sweep(): { status: string; trials: Trial[] } | undefined;
    curves(): { index: number; epochs: number }[];
  };
}

Deno.test({
  name: hasChromium
    ? "the sweep view ranks, sorts, plots and stops a sweep live in headless Chromium"
    : `the sweep view in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`,
  ignore: !hasChromium,
}, (t) =>
  withDashboard(async ({ url, requests: seen, browser, page, scratch }) => {
    const screenshot = UPDATE
      ? new URL("../docs/sweep.png", import.meta.url).pathname
      : `${scratch}/sweep.png`;
    const api = async (path: string, body?: unknown) => {
      const res = await fetch(new URL(path, url), {
        method: body === undefined ? "GET" : "POST",
        headers: { ...BEARER, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(res.ok, `${path}: ${res.status}`);
      return await res.json();
    };
    const sweepOf = () =>
      page.evaluate(() => (globalThis as unknown as SweepView).nagareSweeps.sweep());
    const metrics = async () =>
      (await page.$$eval("#board tbody td.metric", (tds) => tds.map((td) => td.textContent)))
        .map(Number);

    const { id, trials } = await api("/api/sweeps", SWEEP);
    await page.goto(`${url}sweeps?token=${TOKEN}`);

    await t.step("the leaderboard follows the sweep live until it ends", async () => {
      assert.equal(page.url(), `${url}sweeps`, "the token left the address bar");
      await page.waitForSelector("#board tbody tr[data-status=running]");
      await page.waitForSelector("#sweep-stop", { state: "visible" });
      // A hang guard only: the page says done when its poll sees the sweep end.
      await page.waitForSelector("#sweep-status.done", { timeout: 180_000 });
      assert.equal((await api(`/api/sweeps/${id}`)).status, "done");
      assert.ok(await page.isHidden("#sweep-stop"), "no stop button once the sweep is done");
      const statuses = await page.$$eval(
        "#board tbody td.status",
        (tds) => tds.map((td) => td.textContent),
      );
      assert.equal(statuses.length, trials);
      for (const status of statuses) assert.match(status ?? "", /^(done|stopped at epoch \d+)$/);
      assert.ok(statuses.includes("done"));
      const polls = () => seen.filter((s) => s.path === `/api/sweeps/${id}`).length;
      const before = polls();
      await new Promise((r) => setTimeout(r, 4000));
      assert.equal(polls(), before, "the page stops polling once the sweep is done");
    });

    await t.step(
      "the rows are ranked by the metric, and a click on its header sorts them",
      async () => {
        const ranked = await metrics();
        assert.deepEqual(ranked, [...ranked].sort((a, b) => b - a), "best (highest) first");
        assert.ok(new Set(ranked).size > 1, `the trials differ: ${ranked}`);
        await page.click("#board th[data-key=metric] button");
        const ascending = await metrics();
        assert.deepEqual(ascending, [...ranked].sort((a, b) => a - b));
        assert.notDeepEqual(ascending, ranked, "the rows moved");
        assert.equal(
          await page.getAttribute("#board th[data-key=metric]", "aria-sort"),
          "ascending",
        );
        await page.click("#board th[data-key=metric] button");
        assert.deepEqual(await metrics(), ranked);
      },
    );

    await t.step("the status filter shows only the trials of that status", async () => {
      const done = (await sweepOf())!.trials.filter((t) => t.status === "done").length;
      await page.selectOption("#status-filter", "done");
      const shown = await page.$$eval(
        "#board tbody tr",
        (trs) => trs.map((tr) => tr.dataset.status),
      );
      assert.deepEqual(shown, Array(done).fill("done"));
      await page.selectOption("#status-filter", "");
      assert.equal((await page.$$("#board tbody tr")).length, trials);
    });

    await t.step(
      "each parameter has a scatter, and the top five trials' curves are drawn",
      async () => {
        assert.equal((await page.$$(".scatter canvas")).length, 2);
        const captions = await page.$$eval(
          ".scatter figcaption",
          (f) => f.map((x) => x.textContent),
        );
        assert.deepEqual(captions, [
          "valAccuracy against layers.0.activation values",
          "valAccuracy against lr log scale",
        ]);
        const sweep = (await sweepOf())!;
        const top = sweep.trials.filter((t) => t.metric !== undefined)
          .sort((a, b) => b.metric! - a.metric! || a.index - b.index).slice(0, 5);
        await page.waitForFunction(
          (want) =>
            JSON.stringify((globalThis as unknown as SweepView).nagareSweeps.curves()) === want,
          JSON.stringify(top.map((t) => ({ index: t.index, epochs: t.epochs }))),
        );
        assert.ok(await page.$("#curves canvas"));
        const legend = await page.$$eval(
          "#curves .u-legend .u-series",
          (s) => s.map((x) => x.textContent?.trim() ?? ""),
        );
        assert.deepEqual(
          legend.filter((l) => l.startsWith("#")).map((l) => l.split(" ")[0]),
          top.map((t) => `#${t.index + 1}`),
        );
      },
    );

    await t.step("the best trial's model downloads, with its edge:build command", async () => {
      const best = (await api(`/api/sweeps/${id}`)).best;
      const href = await page.getAttribute("#best a[download]", "href");
      assert.equal(href, `/api/runs/${best.id}/model`);
      const status = await page.evaluate(async (href) => {
        const token = sessionStorage.getItem("nagare.token");
        return (await fetch(href, { headers: { authorization: `Bearer ${token}` } })).status;
      }, href);
      assert.equal(status, 200);
      assert.equal(
        await page.textContent("#best .edge code"),
        `deno task edge:build --model nagare-${best.id}.json --target deno`,
      );
      await page.mouse.move(0, 0);
      await page.screenshot({ path: screenshot, fullPage: true });
      assert.ok((await Deno.readFile(screenshot)).length > 20_000, "the screenshot has content");
    });

    await t.step("the stop button stops a running sweep", async () => {
      const long = { ...SMALL_SWEEP, name: "long", run: { dataset: "iris", epochs: 400 } };
      const { id: longId } = await api("/api/sweeps", long);
      await page.goto(`${url}sweeps?id=${longId}`);
      await page.waitForSelector("#board tbody tr[data-status=running]");
      await page.click("#sweep-stop");
      await page.waitForSelector("#sweep-status.stopped");
      const stopped = await api(`/api/sweeps/${longId}`);
      assert.equal(stopped.status, "stopped");
      assert.ok(stopped.trials.every((t: Trial) => t.status !== "running"));
      assert.equal(await page.textContent("#sweeps li.plotted .badge"), "stopped");
    });

    assert.deepEqual(seen.filter((s) => s.status === 401), [], "every request carried the token");
    assert.deepEqual(browser.problems, []);
  }, {
    store: { launch: pacedLaunch(launchJob({ backend: "ts" }), 400), maxRunning: 2 },
    app: { token: TOKEN },
    browser: { viewport: { width: 1440, height: 1080 } },
  }));
