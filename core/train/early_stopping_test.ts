import assert from "node:assert/strict";
import { createEarlyStopping } from "./early_stopping.ts";

Deno.test("early stopping counts epochs without improvement beyond minDelta", () => {
  const w = new Float32Array([0]);
  const es = createEarlyStopping({ patience: 2, minDelta: 0.1 }, [w], true);
  const stops = [1, 0.95, 0.85, 0.8, 0.9].map((
    valLoss,
    i,
  ) => (w[0] = i + 1, es.update(i + 1, { loss: 9, valLoss })));
  assert.deepEqual(stops, [false, false, false, false, true]);
  assert.equal(es.restore(), 3);
  assert.equal(w[0], 3, "the best epoch's weights are back");
});

Deno.test("early stopping state survives JSON and continues where it was", () => {
  const w = new Float32Array([1, 2]);
  const es = createEarlyStopping({ patience: 3, monitor: "loss" }, [w], false);
  es.update(1, { loss: 1 });
  es.update(2, { loss: 2 });
  const saved = JSON.parse(JSON.stringify(es.state()));
  const w2 = new Float32Array([7, 7]);
  const again = createEarlyStopping({ patience: 3, monitor: "loss" }, [w2], false, saved);
  assert.equal(again.update(3, { loss: 3 }), false);
  assert.equal(again.update(4, { loss: 3 }), true);
  assert.equal(again.restore(), 1);
  assert.deepEqual([...w2], [1, 2]);
});

Deno.test("early stopping refuses valLoss without validation data and bad patience", () => {
  assert.throws(
    () =>
      createEarlyStopping({ patience: 2 }, [], true) &&
      createEarlyStopping({ patience: 2, monitor: "valLoss" }, [], false),
    {
      name: "TypeError",
      message: /monitors valLoss but there is no validation data/,
    },
  );
  assert.throws(() => createEarlyStopping({ patience: 0 }, [], false), {
    name: "RangeError",
    message: "Invalid earlyStopping patience: 0 must be a whole number of at least 1",
  });
});

Deno.test("early stopping without restoreBest keeps no copy and restores nothing", () => {
  const w = new Float32Array([5]);
  const es = createEarlyStopping({ patience: 1, restoreBest: false, monitor: "loss" }, [w], false);
  es.update(1, { loss: 1 });
  w[0] = 6;
  assert.equal(es.restore(), undefined);
  assert.equal(w[0], 6);
  assert.equal(es.state().weights, undefined);
});

Deno.test("early stopping resumed with restoreBest from a state saved without weights never restores zeros", () => {
  const w = new Float32Array([1, 2]);
  const first = createEarlyStopping(
    { patience: 5, restoreBest: false, monitor: "loss" },
    [w],
    false,
  );
  first.update(1, { loss: 1 });
  first.update(2, { loss: 2 });
  const saved = JSON.parse(JSON.stringify(first.state()));
  assert.equal(saved.bestEpoch, 1);
  assert.equal(saved.weights, undefined);

  const w2 = new Float32Array([7, 7]);
  const resumed = createEarlyStopping({ patience: 5, monitor: "loss" }, [w2], false, saved);
  assert.equal(resumed.restore(), undefined, "the saved best epoch has no weights to put back");
  assert.deepEqual([...w2], [7, 7]);
  assert.equal(resumed.update(3, { loss: 3 }), false);
  w2.set([8, 8]);
  assert.equal(resumed.update(4, { loss: 4 }), false);
  assert.equal(resumed.restore(), 3, "the best is tracked again from the first resumed epoch");
  assert.deepEqual([...w2], [7, 7]);
});

Deno.test("early stopping restored from the state of a stopped run reports it is stopped", () => {
  const w = new Float32Array([1]);
  const options = { patience: 1, monitor: "loss" } as const;
  const es = createEarlyStopping(options, [w], false);
  assert.equal(es.stopped(), false);
  es.update(1, { loss: 1 });
  assert.equal(es.update(2, { loss: 2 }), true);
  assert.equal(es.stopped(), true);
  const saved = JSON.parse(JSON.stringify(es.state()));
  assert.equal(createEarlyStopping(options, [w], false, saved).stopped(), true);
  assert.equal(
    createEarlyStopping({ ...options, restoreBest: false }, [w], false, saved).stopped(),
    true,
  );
  assert.equal(
    createEarlyStopping({ ...options, patience: 3 }, [w], false, saved).stopped(),
    false,
    "more patience on resume trains on",
  );
});
