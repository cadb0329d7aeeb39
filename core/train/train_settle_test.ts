import assert from "node:assert/strict";
import { lastValueFrom, tap } from "rxjs";
import { fakeMse, fakeSgd } from "../_testing/fakes.ts";
import { blobs, net, weightBytes } from "../_testing/train_fakes.ts";
import { fromArrays } from "../data/from_arrays.ts";
import type { Network } from "../math/network.ts";
import { parameters } from "../math/network.ts";
import { train } from "./train.ts";
import { createBatchBuffer, type Pass } from "../data/pass.ts";
import { trainPass } from "./_train_pass.ts";
import { type CreateStep, createTrainStep, type TrainStep } from "../math/train_step.ts";

/**
 * A step whose updates land only on `settle()`, as a data-parallel step's do
 * when its workers finish them: until then the network keeps the weights from
 * before the last `run`. Deterministic, unlike real threads.
 */
function deferring(log: { pending: boolean; settles: number }): CreateStep {
  return (network: Network, options) => {
    const inner = createTrainStep(network, options);
    let after: Float64Array[] | undefined;
    const settle = (): void => {
      log.settles++;
      if (!after) return;
      parameters(network).forEach((p, i) => p.set(after![i]));
      after = undefined, log.pending = false;
    };
    const step: TrainStep = {
      ...inner,
      network,
      run(batch, runOptions) {
        settle();
        const before = parameters(network).map((p) => Float64Array.from(p));
        const loss = inner.run(batch, runOptions);
        after = parameters(network).map((p) => Float64Array.from(p));
        parameters(network).forEach((p, i) => p.set(before[i])); // the update is still "in flight"
        log.pending = true;
        return loss;
      },
      evaluate(batch) {
        settle();
        return inner.evaluate(batch);
      },
      stats: () => inner.stats(),
      get lastCorrect() {
        return inner.lastCorrect;
      },
      settle,
      close: settle,
    };
    return step;
  };
}

const { x, y } = blobs(200);

Deno.test("a diverging run finishes the pending update before it puts the best weights back", async () => {
  const network = net({ inputs: 2, layers: [{ units: 8, activation: "tanh" }, { units: 1 }] });
  const log = { pending: false, settles: 0 };
  let best = "";
  await assert.rejects(
    lastValueFrom(
      train({
        network,
        loss: fakeMse,
        optimizer: fakeSgd(0.01),
        data: fromArrays(x, y),
        epochs: 5,
        batchSize: 10,
        shuffle: false,
        schedule: {
          kind: "schedule",
          name: "jump",
          lr: ({ epoch }) => (epoch === 1 ? 0.01 : 1e30),
        },
        earlyStopping: { patience: 10, monitor: "loss", restoreBest: true },
        createStep: deferring(log),
      }).pipe(tap((e) => {
        if (e.type === "epoch" && e.epoch === 1) best = weightBytes(network);
      })),
    ),
    /Training diverged: the loss is .* at epoch 2, batch [0-9]+/,
  );
  assert.equal(weightBytes(network), best);
  assert.equal(log.pending, false);
});

Deno.test("a pass settles the step before it waits for a source, as before an event-loop turn", async () => {
  const network = net({ inputs: 2, layers: [{ units: 1 }] });
  const log = { pending: false, settles: 0 };
  const step = await deferring(log)(network, {
    loss: fakeMse,
    optimizer: fakeSgd(0.01),
    batchSize: 2,
  });
  const buffer = createBatchBuffer({ inputs: 2, outputs: 1 }, 2);
  // A source whose every batch has to be waited for, like a file or a socket.
  let batches = 0, waitedWhilePending = 0;
  const pass: Pass = {
    last: false,
    fill() {
      if (batches === 6) return Promise.resolve(0);
      batches++;
      buffer.x.data.set([batches / 10, 1 - batches / 10, 0.5, -0.5]), buffer.t.data.set([1, 0]);
      buffer.x.rows = buffer.t.rows = 2;
      return new Promise((resolve) =>
        setTimeout(() => { // the wait: other code runs meanwhile
          if (log.pending) waitedWhilePending++;
          resolve(2);
        }, 0)
      );
    },
    close: () => undefined,
  };
  const ctx = {
    step,
    chain: [],
    pauser: { due: () => undefined },
    signal: new AbortController().signal,
    halted: { aborted: false },
    checkBinary: false,
  };
  const info = {
    epoch: 1,
    lr: 0.01,
    stepOptions: { lr: 0.01, stats: false },
    lastStepOptions: { lr: 0.01, stats: true },
    warmupSteps: 0,
    stepsBefore: 0,
    samplesPerEpoch: undefined,
    emit: undefined,
  };
  const totals = await trainPass(ctx, pass, buffer, info);
  assert.equal(totals?.batches, 6);
  assert.equal(waitedWhilePending, 0);
});
