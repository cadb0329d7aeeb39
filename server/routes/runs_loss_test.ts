import assert from "node:assert/strict";
import { join } from "node:path";
import { errorOf, postJson, withApp } from "../_testing/test_app.ts";

Deno.test("POST /api/runs refuses a loss that does not fit the output layer with a 400", async () => {
  await withApp(async ({ app, store }) => {
    const error = await errorOf(
      await app.request("/api/runs", postJson({ dataset: "xor", loss: "crossEntropy" })),
      400,
    );
    assert.equal(error.code, "invalid_config");
    const message =
      '"crossEntropy" reads each row of outputs as one distribution over classes but the output layer has 1 unit ("sigmoid"): use binaryCrossEntropy for one sigmoid output, or 2+ softmax units (one per class) for "crossEntropy"';
    assert.equal(error.message, `Invalid run config: loss: ${message}`);
    assert.deepEqual(error.issues, [{ path: "loss", message }]);

    const iris = await errorOf(
      await app.request("/api/runs", postJson({ dataset: "iris", loss: "binaryCrossEntropy" })),
      400,
    );
    assert.match(
      iris.message,
      /^Invalid run config: loss: "binaryCrossEntropy" treats each output as its own yes\/no question but the output activation "softmax" on 3 units .*: use crossEntropy with "softmax"/,
    );
    assert.equal(store.list().length, 0, "no run was created");
  });
});

Deno.test("POST /api/runs accepts the losses that fit, fromLogits forms included", async () => {
  await withApp(async ({ app }) => {
    const fits = [
      { dataset: "xor" },
      { dataset: "xor", loss: "mse" },
      { dataset: "iris" },
      {
        dataset: "iris",
        layers: [{ units: 8, activation: "relu" }, { units: 3 }],
        loss: { name: "crossEntropy", params: { fromLogits: 1 } },
      },
      {
        dataset: "xor",
        layers: [{ units: 4, activation: "tanh" }, { units: 1 }],
        loss: { name: "binaryCrossEntropy", params: { fromLogits: 1 } },
      },
    ];
    for (const body of fits) {
      const res = await app.request("/api/runs", postJson(body));
      assert.equal(res.status, 201, `${JSON.stringify(body)}: ${await res.text()}`);
    }
  });
});

Deno.test("a csv run whose loss does not fit is a 400 at POST, not a failed run", async () => {
  const dir = await Deno.makeTempDir({ prefix: "nagare-data-" });
  try {
    await Deno.writeTextFile(join(dir, "points.csv"), "x,y\n1,0\n");
    const dataset = { csv: "points.csv", target: "y" };
    await withApp(async ({ app, store }) => {
      const error = await errorOf(
        await app.request(
          "/api/runs",
          postJson({ dataset, layers: [{ units: 1 }], loss: "crossEntropy" }),
        ),
        400,
      );
      assert.deepEqual(error.issues, [{
        path: "loss",
        message:
          '"crossEntropy" reads each row of outputs as one distribution over classes but the output layer has 1 unit ("identity"): use binaryCrossEntropy for one sigmoid output, or 2+ softmax units (one per class) for "crossEntropy"',
      }]);
      const softmax = await app.request(
        "/api/runs",
        postJson({ dataset, layers: [{ units: 3, activation: "softmax" }], loss: "crossEntropy" }),
      );
      assert.equal(softmax.status, 201);
      assert.equal(store.list().length, 1);
    }, { dataDir: dir });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("bad plugin parameters are a 400 naming the field, not a 500", async () => {
  await withApp(async ({ app }) => {
    const error = await errorOf(
      await app.request(
        "/api/runs",
        postJson({ dataset: "iris", loss: { name: "crossEntropy", params: { fromLogits: 2 } } }),
      ),
      400,
    );
    assert.deepEqual(error.issues, [{
      path: "loss",
      message: "Invalid crossEntropy fromLogits: 2 is not 0 or 1",
    }]);
  });
});
