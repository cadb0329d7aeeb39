import assert from "node:assert/strict";
import { cosineDecay } from "./cosine_decay.ts";

Deno.test("cosineDecay follows half a cosine from the base rate to minLr", () => {
  const s = cosineDecay({ minLr: 0.1 });
  const at = (epoch: number) => s.lr({ epoch, epochs: 4, base: 1.1 }, {});
  assert.equal(at(1), 1.1);
  assert.ok(Math.abs(at(3) - 0.6) < 1e-12);
  assert.ok(at(2) > at(3) && at(3) > at(4) && at(4) > 0.1);
  assert.equal(cosineDecay({ epochs: 2 }).lr({ epoch: 9, epochs: 10, base: 1 }, {}), 0);
});
