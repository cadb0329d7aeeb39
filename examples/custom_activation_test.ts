import assert from "node:assert/strict";
import { customActivation } from "./custom_activation.ts";

Deno.test("custom activation example: refused when wrong, trains, round-trips, refuses changed math", () => {
  const lines: string[] = [];
  const r = customActivation((line) => lines.push(line));
  assert.match(
    r.refused,
    /^Gradient check failed: derivative of "myorg\/bentIdentity" at x = \S+ is \S+ but finite differences give \S+/,
  );
  assert.ok(
    r.lossAfter < 0.01 && r.lossAfter < r.lossBefore,
    `loss ${r.lossBefore} -> ${r.lossAfter}`,
  );
  assert.deepEqual(r.predictions.map(Math.round), [0, 1, 1, 0]);
  assert.equal(r.sameAfterReload, true);
  assert.match(
    r.changedMath,
    /^Plugin fingerprint mismatch: .* 1\.0\.0 .* 1\.1\.0 .*register the original version or retrain$/,
  );
  assert.equal(lines.length, 6);
});
