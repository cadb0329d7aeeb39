import assert from "node:assert/strict";
import { cycles, edgeProblems, type RelEdge } from "./graph_rules.ts";

const edge = (from: string, to: string, local = true): RelEdge => ({ from, to, local });
const broken = (from: string, to: string, local = true) => edgeProblems(edge(from, to, local));

Deno.test("graph rules: core folders import only the folders below them", () => {
  assert.deepEqual(broken("core/train/train.ts", "core/math/network.ts"), []);
  assert.deepEqual(broken("core/model/model_file.ts", "core/checks/registry.ts"), []);
  assert.match(
    broken("core/math/network.ts", "core/checks/registry.ts")[0],
    /core\/math\/ may import only folders below it \(none\)$/,
  );
  assert.match(
    broken("core/checks/fingerprint.ts", "core/model/model_file_schema.ts")[0],
    /core\/checks\/ may import only folders below it \(math\)$/,
  );
  assert.equal(broken("core/data/table.ts", "core/checks/plugin_ref.ts").length, 1); // same rank
});

Deno.test("graph rules: core imports no other top-level folder, and rxjs only in train/ and data/", () => {
  assert.match(
    broken("core/math/backward.ts", "plugins/losses/mse.ts")[0],
    /core\/ must not import plugins\/$/,
  );
  assert.match(
    broken("core/math/predict.ts", "npm:rxjs@7.8.2/index.js", false)[0],
    /only train\/ and data\/ may$/,
  );
  assert.deepEqual(broken("core/train/train.ts", "npm:rxjs@7.8.2/index.js", false), []);
  // Tests are exempt from the direction (they may use real plugins), not from privacy.
  assert.deepEqual(broken("core/math/network_test.ts", "plugins/activations/relu.ts"), []);
});

Deno.test("graph rules: a _ file is private to its folder, inside core its subfolder", () => {
  assert.deepEqual(broken("parallel/_main_step.ts", "parallel/_layout.ts"), []);
  assert.match(broken("parallel/_main_step.ts", "core/math/_x.ts")[0], /private to core\/math\//);
  assert.match(
    broken("core/train/_train_pass.ts", "core/data/_pass.ts")[0],
    /private to core\/data\//,
  );
  assert.match(broken("edge/handler_test.ts", "io/_testing/small_model.ts")[0], /private to io\//);
  assert.deepEqual(broken("core/train/train_test.ts", "core/_testing/fakes.ts"), []); // core's own
});

Deno.test("graph rules: plugins import only core/math's types and small helpers", () => {
  assert.deepEqual(broken("plugins/activations/relu.ts", "core/math/elementwise.ts"), []);
  assert.match(
    broken("plugins/activations/relu.ts", "core/checks/registry.ts")[0],
    /plugins\/ may import only/,
  );
});

Deno.test("graph rules: cycles are found, self-imports too, and only among local files", () => {
  assert.deepEqual(cycles([edge("a.ts", "b.ts"), edge("b.ts", "c.ts"), edge("c.ts", "a.ts")]), [[
    "a.ts",
    "b.ts",
    "c.ts",
  ]]);
  assert.deepEqual(cycles([edge("a.ts", "a.ts")]), [["a.ts"]]);
  assert.deepEqual(cycles([edge("a.ts", "b.ts"), edge("b.ts", "c.ts")]), []);
  assert.deepEqual(cycles([edge("a.ts", "npm:x", false), edge("npm:x", "a.ts", false)]), []);
  const two = cycles([
    edge("a.ts", "b.ts"),
    edge("b.ts", "a.ts"),
    edge("c.ts", "d.ts"),
    edge("d.ts", "c.ts"),
  ]);
  assert.deepEqual(two.sort(), [["a.ts", "b.ts"], ["c.ts", "d.ts"]]);
});
