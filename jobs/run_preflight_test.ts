import assert from "node:assert/strict";
import { headerInputs } from "./run_preflight.ts";
import { parseRunConfig } from "./run_config.ts";

const openText = (text: string) => () => new Blob([text]).stream();

Deno.test("headerInputs counts a csv header's columns besides the target and ignored ones", async () => {
  const config = parseRunConfig({
    dataset: { csv: "rows.csv", target: "y" },
    columns: { id: "ignore" },
  });
  assert.equal(await headerInputs(config, openText("id,a,b,city,y\n1,2,3,Oslo,4\n")), 3);
});

Deno.test("headerInputs is undefined for a built-in data set, a missing target and an unreadable file", async () => {
  const csv = parseRunConfig({ dataset: { csv: "rows.csv", target: "y" } });
  assert.equal(await headerInputs(parseRunConfig({ dataset: "xor" }), openText("")), undefined);
  assert.equal(await headerInputs(csv, openText("a,b\n1,2\n")), undefined);
  assert.equal(await headerInputs(csv, openText("")), undefined);
  const missing = () => {
    throw new Deno.errors.NotFound("rows.csv");
  };
  assert.equal(await headerInputs(csv, missing), undefined);
});
