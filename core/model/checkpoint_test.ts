import assert from "node:assert/strict";
import { parseCheckpoint } from "./checkpoint.ts";

Deno.test("parseCheckpoint names what is wrong with a file", () => {
  assert.throws(() => parseCheckpoint("{"), { name: "TypeError", message: /not JSON/ });
  assert.throws(() => parseCheckpoint({ format: "nagare-model" }), {
    name: "TypeError",
    message: /format: must be "nagare-checkpoint"/,
  });
});
