import assert from "node:assert/strict";
import { errorOf, postJson } from "../_testing/test_app.ts";
import { LIVE_CONFIG, postNdjson, withLive } from "../_testing/live_app.ts";
import { lineSamples } from "../_testing/line_samples.ts";

const CONFIG = {
  ...LIVE_CONFIG,
  layers: [{ units: 8, activation: "tanh" }, LIVE_CONFIG.layers[1]],
};

Deno.test("a number past the float32 range is a 400 naming its line and field, nothing of the body trains, and the run goes on", async () => {
  await withLive(async ({ app }) => {
    const run = await (await app.request("/api/runs", postJson(CONFIG))).json();
    const body = lineSamples(3, 1) + '{"x":[0.1,1e39],"y":[0,1]}\n';
    const error = await errorOf(
      await app.request(`/api/runs/${run.id}/samples`, postNdjson(body)),
      400,
    );
    assert.equal(error.code, "invalid_sample");
    assert.equal(error.line, 4);
    assert.equal(error.field, "x.1");
    assert.match(error.message, /^Line 4: x\.1: must be within the float32 range/);
    const model = await (await app.request(`/api/runs/${run.id}/model`)).json();
    assert.deepEqual(model.training, { step: 0, samples: 0 });
    const next = await app.request(`/api/runs/${run.id}/samples`, postNdjson(lineSamples(64, 2)));
    assert.equal(next.status, 200, await next.clone().text());
    assert.equal((await next.json()).trained, 64);
    const detail = await (await app.request(`/api/runs/${run.id}`)).json();
    assert.equal(detail.status, "running");
  });
});

Deno.test("concurrent POSTs start at most maxLive live runs: the others are 409s", async () => {
  await withLive(async ({ app }) => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => app.request("/api/runs", postJson(CONFIG))),
    );
    const statuses = answers.map((res) => res.status).sort();
    assert.deepEqual(statuses, [201, 201, 201, 201, 409, 409, 409, 409]);
    const refused = await errorOf(answers.find((res) => res.status === 409)!, 409);
    assert.equal(refused.code, "too_many_live_runs");
  });
});

Deno.test("a live run over --max-run-mib, or with maxQueue or batchSize past their bounds, is a 400 naming the field", async () => {
  await withLive(async ({ app }) => {
    const queue = await errorOf(
      await app.request(
        "/api/runs",
        postJson({
          ...CONFIG,
          dataset: { live: { inputs: 200, outputs: 2 } },
          maxQueue: 1_000_000,
        }),
      ),
      400,
    );
    assert.equal(queue.code, "invalid_config");
    const issue = (queue.issues as { path: string; message: string }[])[0];
    assert.equal(issue.path, "maxQueue");
    assert.match(
      issue.message,
      /^needs about [\d,]+ MiB \(.*data [\d,]+.*\) but this server allows 64 MiB per run \(--max-run-mib\): use fewer or smaller layers or a smaller batch, or a smaller maxQueue$/,
    );
    const wide = await errorOf(
      await app.request(
        "/api/runs",
        postJson({
          ...CONFIG,
          dataset: { live: { inputs: 4096, outputs: 2 } },
          layers: [{ units: 4096 }, { units: 2, activation: "softmax" }],
          maxQueue: 10,
        }),
      ),
      400,
    );
    assert.deepEqual((wide.issues as { path: string }[]).map((i) => i.path), ["layers"]);
    const bounds = await errorOf(
      await app.request(
        "/api/runs",
        postJson({ ...CONFIG, maxQueue: 1_000_001, batchSize: 65_537 }),
      ),
      400,
    );
    assert.deepEqual(
      bounds.issues,
      [
        { path: "batchSize", message: "must be at most 65536; use e.g. 32" },
        { path: "maxQueue", message: "must be at most 1000000; use e.g. 10000" },
      ],
    );
  }, { limits: { maxRunMiB: 64 } });
});

Deno.test("an unknown activation or optimizer in a live config is a 400 with issues naming the field, before any Worker starts", async () => {
  await withLive(async ({ app }) => {
    const error = await errorOf(
      await app.request(
        "/api/runs",
        postJson({
          ...CONFIG,
          layers: [{ units: 8, activation: "rleu" }, CONFIG.layers[1]],
          optimizer: "adamm",
        }),
      ),
      400,
    );
    assert.equal(error.code, "invalid_config");
    const issues = error.issues as { path: string; message: string }[];
    assert.deepEqual(issues.map((i) => i.path), ["layers.0.activation", "optimizer"]);
    assert.match(issues[0].message, /^unknown activation "rleu": use one of .*relu/);
    assert.match(issues[1].message, /^unknown optimizer "adamm": use one of .*adam/);
    assert.match(error.message, /^Invalid live run config: layers\.0\.activation: unknown/);
    const params = await errorOf(
      await app.request(
        "/api/runs",
        postJson({ ...CONFIG, optimizer: { name: "adam", params: { lr: -1 } } }),
      ),
      400,
    );
    assert.equal((params.issues as { path: string }[])[0].path, "optimizer");
  });
});

Deno.test("a samples body past the app's 64 KiB limit is taken, and one past the samples limit is a 413 saying the limit and to split it", async () => {
  await withLive(async ({ app }) => {
    const run = await (await app.request("/api/runs", postJson(CONFIG))).json();
    const big = lineSamples(2_000, 3);
    assert.ok(big.length > 64 * 1024, `${big.length} bytes`);
    const res = await app.request(`/api/runs/${run.id}/samples`, postNdjson(big));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).accepted, 2_000);
    const tooBig = await errorOf(
      await app.request(`/api/runs/${run.id}/samples`, postNdjson(big + big)),
      413,
    );
    assert.equal(tooBig.code, "payload_too_large");
    assert.equal(tooBig.maxBytes, 200_000);
    assert.match(tooBig.message, /over 200000 bytes: split the samples into several POSTs/);
    const model = await (await app.request(`/api/runs/${run.id}/model`)).json();
    assert.equal(model.training.samples, 2_000 - (2_000 % 32), "nothing of the refused body");
  }, { maxSamplesBytes: 200_000 });
});
