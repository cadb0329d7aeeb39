import assert from "node:assert/strict";
import { joinNegativeValues } from "./_negative_values.ts";

Deno.test("joinNegativeValues joins a long flag and the negative number after it", () => {
  assert.deepEqual(
    joinNegativeValues(["--lr", "-1", "--seed", "-5", "--l2", "-.5", "--x", "-Infinity"]),
    ["--lr=-1", "--seed=-5", "--l2=-.5", "--x=-Infinity"],
  );
  assert.deepEqual(joinNegativeValues(["--lr", "-1e-3", "-q"]), ["--lr=-1e-3", "-q"]);
});

Deno.test("joinNegativeValues leaves flags, inline values, short flags and positionals alone", () => {
  const args = ["--lr=-1", "-q", "-1", "--json", "--out", "-x", "--", "--lr", "-1"];
  assert.deepEqual(joinNegativeValues(args), args);
  assert.deepEqual(joinNegativeValues(["--lr"]), ["--lr"]);
});
