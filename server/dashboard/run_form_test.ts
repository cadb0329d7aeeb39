import assert from "node:assert/strict";
import { withApp } from "../_testing/test_app.ts";
import { lossChoices } from "./run_form.js";

interface DatasetOption {
  name: string;
  preset: { loss: string | { name: string } };
  losses?: string[];
}

Deno.test("the run form offers only the losses that fit each data set's output layer", async () => {
  await withApp(async ({ app }) => {
    const options = await (await app.request("/api/options")).json();
    const offered = Object.fromEntries(
      (options.datasets as DatasetOption[]).map((d) => [d.name, lossChoices(d, options.losses)]),
    );
    // mnist and iris end in softmax units, xor in one sigmoid, sine in one identity unit
    for (const name of ["mnist", "iris"]) {
      assert.deepEqual(offered[name], {
        names: ["mse", "mae", "huber", "crossEntropy"],
        selected: "crossEntropy",
      });
    }
    assert.deepEqual(offered.xor, {
      names: ["mse", "mae", "huber", "binaryCrossEntropy"],
      selected: "binaryCrossEntropy",
    });
    assert.deepEqual(offered.sine, { names: ["mse", "mae", "huber"], selected: "mse" });
  });
});

Deno.test("the run form offers every loss when the server does not say which fit", () => {
  const dataset = { name: "xor", preset: { loss: { name: "binaryCrossEntropy" } } };
  assert.deepEqual(lossChoices(dataset, ["mse", "binaryCrossEntropy"]), {
    names: ["mse", "binaryCrossEntropy"],
    selected: "binaryCrossEntropy",
  });
  const other = { name: "x", preset: { loss: "hinge" }, losses: ["mse"] };
  assert.deepEqual(lossChoices(other, ["mse", "hinge"]), { names: ["mse"], selected: "mse" });
});
