import { decodeFloats, encodeFloats } from "./base64_floats.ts";
import { type Checkpoint, CHECKPOINT_FORMAT } from "./checkpoint.ts";
import { toModelFile } from "./model_file.ts";
import { type Network, parameters } from "../math/network.ts";
import type { OptimizerState } from "../math/optimize.ts";
import type { Floats, OptimizerPlugin } from "../math/types.ts";

/** Decodes base64 tensors, checking each length against `targets` (written nowhere). */
function decodeChecked(
  texts: readonly string[],
  targets: readonly Floats[],
  what: string,
): Float32Array[] {
  if (texts.length !== targets.length) {
    throw new RangeError(
      `Checkpoint does not fit the network: ${what} has ${texts.length} tensors but the network has ${targets.length}; build the network from checkpoint.model.spec`,
    );
  }
  return texts.map((text, i) => {
    const values = decodeFloats(text);
    if (values.length !== targets[i].length) {
      throw new RangeError(
        `Checkpoint does not fit the network: ${what} tensor ${i} has ${values.length} values but the network needs ${
          targets[i].length
        }; build the network from checkpoint.model.spec`,
      );
    }
    return values;
  });
}

/** Writes decoded arrays into `targets` once all of them fit. */
export function decodeInto(
  texts: readonly string[],
  targets: readonly Floats[],
  what: string,
): void {
  decodeChecked(texts, targets, what).forEach((values, i) => targets[i].set(values));
}

/** Copies a checkpoint's weights into `network` and returns its optimizer state. */
export function restoreCheckpoint(
  checkpoint: Checkpoint,
  network: Network,
  optimizer: OptimizerPlugin,
): OptimizerState {
  if (checkpoint.optimizer.name !== optimizer.name) {
    throw new TypeError(
      `Checkpoint optimizer mismatch: it was saved with "${checkpoint.optimizer.name}" but training uses "${optimizer.name}"; resume with the same optimizer`,
    );
  }
  const params = parameters(network);
  const weights = decodeChecked(
    checkpoint.model.weights.layers.flatMap((l) => [l.weights, l.bias]),
    params,
    "model.weights",
  );
  const slots = params.map((p, i) => {
    const saved = checkpoint.optimizer.slots[i] ?? [];
    if (saved.length !== optimizer.slots) {
      throw new RangeError(
        `Checkpoint optimizer state has ${saved.length} slots for tensor ${i} but "${optimizer.name}" keeps ${optimizer.slots}`,
      );
    }
    return decodeChecked(saved, saved.map(() => p), `optimizer.slots[${i}]`);
  });
  // Written only once everything fits: a bad checkpoint leaves the network as it was.
  weights.forEach((w, i) => params[i].set(w));
  return { t: checkpoint.optimizer.t, slots };
}

/** The optimizer state as checkpoint JSON. */
export function encodeOptimizer(name: string, state: OptimizerState): Checkpoint["optimizer"] {
  return { name, t: state.t, slots: state.slots.map((s) => s.map(encodeFloats)) };
}

/** The parts of a run a checkpoint is made from. */
export interface CheckpointParts {
  network: Network;
  epoch: number;
  step: number;
  optimizer: OptimizerPlugin;
  state: OptimizerState;
  rng: readonly [number, number, number, number];
  config: Checkpoint["config"];
  schedule?: Checkpoint["schedule"];
  earlyStopping?: Checkpoint["earlyStopping"];
  prepare?: Checkpoint["prepare"];
  samplesPerEpoch?: number;
}

/** Builds the JSON checkpoint of a run at the end of an epoch. */
export function encodeCheckpoint(parts: CheckpointParts): Checkpoint {
  const { config, epoch, step } = parts;
  const plugins = [
    { kind: "loss" as const, ...config.loss },
    { kind: "optimizer" as const, ...config.optimizer },
  ];
  return {
    format: CHECKPOINT_FORMAT,
    version: 1,
    epoch,
    step,
    model: toModelFile(parts.network, { training: { epoch, step, seed: config.seed }, plugins }),
    optimizer: encodeOptimizer(parts.optimizer.name, parts.state),
    rng: [...parts.rng],
    ...(parts.schedule ? { schedule: parts.schedule } : {}),
    ...(parts.earlyStopping ? { earlyStopping: parts.earlyStopping } : {}),
    ...(parts.prepare ? { prepare: parts.prepare } : {}),
    ...(parts.samplesPerEpoch === undefined ? {} : { samplesPerEpoch: parts.samplesPerEpoch }),
    config,
  };
}
