// The dashboard in headless Chromium against a real server on 127.0.0.1:
// start runs from the form, watch them train, stop one, survive a dropped
// connection, overlay two runs, and take a screenshot.
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { launchJob } from "./launch_job.ts";
import { type Cuttable, cuttable } from "./_testing/cuttable.ts";
import { pacedLaunch } from "./_testing/paced_launch.ts";
import { waitFor } from "./_testing/wait_for.ts";
import { CHROMIUM, hasChromium } from "./_testing/chromium.ts";
import { withDashboard } from "./_testing/dashboard_app.ts";

interface Dashboard {
  nagareDashboard: { epochs(id: string): number[]; plotted(): string[] };
}

async function startRun(
  page: Page,
  fields: { dataset: string; hidden: string; activation: string; epochs: number },
) {
  const before = await page.evaluate(() =>
    (globalThis as unknown as Dashboard).nagareDashboard.plotted()
  );
  await page.selectOption("select[name=dataset]", fields.dataset);
  await page.fill("input[name=hidden]", fields.hidden);
  await page.selectOption("select[name=activation]", fields.activation);
  await page.fill("input[name=epochs]", String(fields.epochs));
  await page.click("#run-form button[type=submit]");
  const handle = await page.waitForFunction((ids) => {
    const plotted = (globalThis as unknown as Dashboard).nagareDashboard.plotted();
    return plotted.find((id) => !ids.includes(id));
  }, before);
  return await handle.jsonValue() as string;
}

/** Waits until the page holds at least `count` epochs of run `id`. */
async function waitForEpochs(page: Page, id: string, count: number): Promise<void> {
  await page.waitForFunction(
    (wanted) =>
      (globalThis as unknown as Dashboard).nagareDashboard.epochs(wanted.id).length >= wanted.count,
    { id, count },
  );
}

Deno.test({
  name: hasChromium
    ? "the dashboard trains, stops, reconnects and overlays runs in headless Chromium"
    : `the dashboard in headless Chromium: SKIPPED, ${CHROMIUM} is missing (apt-get install -y chromium)`,
  ignore: !hasChromium,
}, (t) => {
  let net!: Cuttable;
  return withDashboard(async ({ store, registry, url, browser, page, scratch }) => {
    // A screenshot to a temporary folder; the README's are made by `deno task screenshots`.
    const screenshot = `${scratch}/dashboard.png`;
    await page.goto(url);
    const epochsOf = (id: string) =>
      page.evaluate((id) => (globalThis as unknown as Dashboard).nagareDashboard.epochs(id), id);

    await t.step("the form offers the built-in data sets and every activation", async () => {
      await page.waitForSelector("select[name=dataset] option[value=iris]", { state: "attached" });
      const activations = await page.$$eval(
        "select[name=activation] option",
        (o) => o.map((x) => x.textContent),
      );
      assert.deepEqual(activations, registry.list("activation").map((a) => a.name));
    });

    await t.step(
      "the form offers only the losses that fit the data set's output layer",
      async () => {
        const losses = () =>
          page.$$eval("select[name=loss] option", (o) => o.map((x) => x.textContent));
        await page.selectOption("select[name=dataset]", "xor"); // 1 × sigmoid
        assert.deepEqual(await losses(), ["mse", "mae", "huber", "binaryCrossEntropy"]);
        assert.equal(await page.inputValue("select[name=loss]"), "binaryCrossEntropy");
        await page.selectOption("select[name=dataset]", "iris"); // 3 × softmax
        assert.deepEqual(await losses(), ["mse", "mae", "huber", "crossEntropy"]);
        assert.equal(await page.inputValue("select[name=loss]"), "crossEntropy");
      },
    );

    await t.step("the Stop button stops a running run", async () => {
      const id = await startRun(page, {
        dataset: "iris",
        hidden: "8",
        activation: "relu",
        epochs: 2000,
      });
      await page.waitForSelector(".head button.danger");
      await waitForEpochs(page, id, 2);
      await page.click(".head button.danger");
      await waitFor(() => store.get(id)?.status === "stopped", "the run to stop");
      await page.waitForSelector(".head .badge.stopped");
      assert.ok((await epochsOf(id)).length < 2000);
    });

    await t.step(
      "a sigmoid run trains live: the loss chart gains points, then the run ends",
      async () => {
        const id = await startRun(page, {
          dataset: "iris",
          hidden: "16, 16, 16",
          activation: "sigmoid",
          epochs: 40,
        });
        const seen: number[] = [];
        while (store.get(id)?.status !== "done") {
          const points = Number(await page.getAttribute(`.head[data-run="${id}"]`, "data-points"));
          if (points !== seen.at(-1)) seen.push(points);
          await new Promise((r) => setTimeout(r, 40));
        }
        assert.ok(
          seen.filter((n) => n > 0 && n < 40).length >= 3,
          `points seen while training: ${seen}`,
        );
        assert.deepEqual(seen, [...seen].sort((a, b) => a - b), "points only grow");
        await page.waitForSelector(".head .badge.done");
        assert.deepEqual(await epochsOf(id), Array.from({ length: 40 }, (_, i) => i + 1));
      },
    );

    await t.step(
      "after a dropped connection the page resumes without losing or duplicating points",
      async () => {
        const id = await startRun(page, {
          dataset: "iris",
          hidden: "16, 16, 16",
          activation: "relu",
          epochs: 40,
        });
        await waitForEpochs(page, id, 8);
        assert.ok(net.cutAll() >= 1, "an open stream was cut");
        await waitFor(() => store.get(id)?.status === "done", "the run to finish", 20_000);
        await waitForEpochs(page, id, 40);
        assert.deepEqual(await epochsOf(id), Array.from({ length: 40 }, (_, i) => i + 1));
        assert.ok(
          net.lastEventIds.some((h) => Number(h) > 0),
          `a reconnect sent Last-Event-ID: ${net.lastEventIds}`,
        );
      },
    );

    await t.step(
      "the runs started here stay overlaid, labelled by what differs; the screenshot shows them",
      async () => {
        const ids = await page.evaluate(() =>
          (globalThis as unknown as Dashboard).nagareDashboard.plotted()
        );
        assert.equal(ids.length, 3, "each run started from the form was added");
        await page.uncheck(`#runs tr[data-run="${ids[0]}"] input[type=checkbox]`);
        await page.locator(".head").nth(1).waitFor();
        assert.equal((await page.$$(".head")).length, 2);
        await page.waitForSelector('.head strong:text("sigmoid")');
        const titles = await page.$$eval(".head strong", (s) => s.map((x) => x.textContent));
        assert.deepEqual(titles, [
          "B 16:sigmoid,16:sigmoid,16:sigmoid,3:softmax",
          "C 16:relu,16:relu,16:relu,3:softmax",
        ]);
        for (const chart of ["steps", "loss", "accuracy", "lr", "grads"]) {
          assert.ok(await page.$(`#chart-${chart} canvas`), `${chart} chart drawn`);
        }
        await page.mouse.move(0, 0);
        await page.screenshot({ path: screenshot, fullPage: true });
        const png = await Deno.readFile(screenshot);
        assert.ok(png.length > 20_000, "the screenshot has content");
      },
    );

    await t.step("the activation gallery plots every activation with its derivative", async () => {
      await page.goto(new URL("/activations", url).href);
      await page.waitForSelector("figure[data-name=sigmoid] canvas");
      const names = await page.$$eval(
        "figure[data-name]",
        (f) => f.map((x) => x.getAttribute("data-name")),
      );
      assert.deepEqual(names, registry.list("activation").map((a) => a.name));
      assert.match(await page.textContent("figure[data-name=sigmoid] .slope") ?? "", /0\.25/);
      assert.match(await page.textContent(".explain") ?? "", /at most\s+0\.25/);
    });

    assert.deepEqual(browser.problems, []);
  }, {
    store: { launch: pacedLaunch(launchJob({ backend: "ts" }), 50), maxRunning: 2 },
    app: { sse: { retryMs: 250 } },
    wrap: (handler) => (net = cuttable(handler)).fetch,
    browser: { viewport: { width: 1440, height: 1080 } },
  });
});

Deno.test({
  name: hasChromium
    ? "with a token, the dashboard opens from the printed URL and keeps the token out of sight"
    : `the dashboard with a token in headless Chromium: SKIPPED, ${CHROMIUM} is missing`,
  ignore: !hasChromium,
}, () => {
  const token = "e2e-secret-token-1234";
  return withDashboard(async ({ url, requests: seen, browser, page }) => {
    const { context, problems } = browser;
    await page.goto(`${url}?token=${token}`);
    await page.waitForSelector("select[name=dataset] option[value=xor]", { state: "attached" });
    assert.equal(page.url(), url, "the token left the address bar");
    assert.equal(await page.evaluate(() => sessionStorage.getItem("nagare.token")), token);
    const id = await startRun(page, {
      dataset: "xor",
      hidden: "4",
      activation: "tanh",
      epochs: 20,
    });
    await waitForEpochs(page, id, 20);
    assert.ok(seen.some((s) => s.path.endsWith("/events") && s.status === 200), "events streamed");
    await page.click('nav a[href="/activations"]');
    await page.waitForSelector("figure[data-name=sigmoid] canvas");
    assert.deepEqual(seen.filter((s) => s.status === 401), [], "every request carried the token");
    assert.deepEqual(seen.filter((s) => s.referer.includes(token)), [], "no Referer leaks it");
    assert.deepEqual(problems, []);

    await context.clearCookies();
    const fresh = await context.newPage(); // a new tab: no cookie, no session storage
    const refused = await fresh.goto(url);
    assert.equal(refused?.status(), 401);
    assert.match(await fresh.textContent("body") ?? "", /\/\?token=<token>/);
  }, { store: { launch: pacedLaunch(launchJob({ backend: "ts" }), 20) }, app: { token } });
});
