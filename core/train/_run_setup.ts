import { checkLossPairing } from "../checks/pairing.ts";
import { createEarlyStopping, type EarlyStopping } from "./early_stopping.ts";
import type { PrepareFn, PrepareState, Widths } from "../data/prepare_step.ts";
import { parameters } from "../math/network.ts";
import { createRng, type Rng, type RngState } from "../math/rng.ts";
import type { ScheduleState } from "./schedules/lr_schedule.ts";
import type { TrainOptions } from "./train_options.ts";
import { createTrainStep, type TrainStep, type TrainStepOptions } from "../math/train_step.ts";
import { restoreCheckpoint } from "../model/checkpoint_codec.ts";
import { classification } from "./classification.ts";
import { createPauser, type Pauser } from "./_pauser.ts";
import { type DataPlan, planData, planSize, splitRows } from "../data/data_plan.ts";
import { checkOptions, type TrainSettings } from "./train_options.ts";
import { prepareSteps } from "../data/prepare.ts";

/** Everything a run needs, ready before its first step. */
export interface RunSetup {
  readonly settings: TrainSettings;
  readonly step: TrainStep;
  /** The one random stream behind every shuffle. */
  readonly rng: Rng;
  readonly trainPlan: DataPlan;
  readonly valPlan?: DataPlan;
  readonly chain: readonly PrepareFn[];
  readonly prepared: readonly (PrepareState | null)[];
  readonly pauser: Pauser;
  readonly es?: EarlyStopping;
  readonly kind: "multi" | "binary" | undefined;
  readonly fromEpoch: number;
  readonly steps: number;
  readonly samplesPerEpoch?: number;
  readonly scheduleState: ScheduleState;
}

function checkWidths(w: Widths, network: { inputs: number; outputs: number }): void {
  if (w.inputs !== network.inputs) {
    throw new TypeError(
      `Data width mismatch: samples have ${w.inputs} features but the network takes ${network.inputs} inputs; match the network's inputs to the feature columns`,
    );
  }
  if (w.outputs !== network.outputs) {
    const hint = w.outputs === 1 ? "; for class labels add prepare: [oneHot(classes)]" : "";
    throw new TypeError(
      `Data width mismatch: samples have ${w.outputs} targets but the network gives ${network.outputs} outputs${hint}`,
    );
  }
}

function sameWidths(train: DataPlan, val: DataPlan): void {
  const a = train.widths, b = val.widths;
  if (a.inputs !== b.inputs || a.outputs !== b.outputs) {
    throw new TypeError(
      `Validation width mismatch: validation samples have ${b.inputs} features and ${b.outputs} targets but training samples have ${a.inputs} and ${a.outputs}`,
    );
  }
}

/**
 * Checks the options and builds a run: resumes weights and optimizer state,
 * builds the step (`createStep`, closed again when setup fails or is aborted),
 * draws the validation split, learns the data widths, fits the prepare steps.
 * Undefined when aborted meanwhile.
 */
export async function setupRun(
  trainOptions: TrainOptions,
  signal: AbortSignal,
): Promise<RunSetup | undefined> {
  const settings = checkOptions(trainOptions);
  const { network, optimizer, loss, resume } = trainOptions;
  const output = network.layers[network.layers.length - 1];
  checkLossPairing(output.activation, loss, { units: output.units });
  const state = resume ? restoreCheckpoint(resume, network, optimizer) : undefined;
  const stepOptions: TrainStepOptions = {
    loss,
    optimizer,
    batchSize: settings.batchSize,
    ...(trainOptions.l2 === undefined ? {} : { l2: trainOptions.l2 }),
    ...(trainOptions.backend ? { backend: trainOptions.backend } : {}),
    ...(state ? { state } : {}),
  };
  const step = await (trainOptions.createStep ?? createTrainStep)(network, stepOptions);
  try {
    const run = await planRun(trainOptions, settings, step, signal);
    if (!run) step.close?.();
    return run;
  } catch (error) {
    step.close?.();
    throw error;
  }
}

async function planRun(
  trainOptions: TrainOptions,
  settings: TrainSettings,
  step: TrainStep,
  signal: AbortSignal,
): Promise<RunSetup | undefined> {
  const { network, loss, resume } = trainOptions;
  if (signal.aborted) return undefined;
  let rng = createRng(settings.seed);
  const split = trainOptions.validationSplit !== undefined && trainOptions.data.kind === "memory"
    ? splitRows(trainOptions.data, trainOptions.validationSplit, rng)
    : undefined;
  if (resume) rng = createRng(resume.rng as RngState); // the split is drawn again, the stream continues
  const pauser = createPauser(settings.yieldEveryMs, signal);
  const trainPlan = await planData(
    trainOptions.data,
    settings.batchSize,
    signal,
    "training",
    split?.[0],
  );
  const valSource = trainOptions.validation ?? (split ? trainOptions.data : undefined);
  const valPlan = valSource &&
    await planData(valSource, settings.batchSize, signal, "validation", split?.[1]);
  if (valPlan) sameWidths(trainPlan, valPlan);
  const ready = await prepareSteps(trainOptions.prepare ?? [], trainPlan, settings.batchSize, {
    signal,
    pauser,
    ...(resume?.prepare ? { saved: resume.prepare } : {}),
  });
  if (!ready || signal.aborted) return undefined;
  checkWidths(ready.widths, network);
  const es = trainOptions.earlyStopping &&
    createEarlyStopping(
      trainOptions.earlyStopping,
      parameters(network),
      valPlan !== undefined,
      resume?.earlyStopping,
    );
  const samplesPerEpoch = planSize(trainPlan) ?? resume?.samplesPerEpoch;
  return {
    settings,
    step,
    rng,
    trainPlan,
    ...(valPlan ? { valPlan } : {}),
    chain: ready.chain,
    prepared: ready.states,
    pauser,
    ...(es ? { es } : {}),
    kind: classification(network, loss),
    fromEpoch: (resume?.epoch ?? 0) + 1,
    steps: resume?.step ?? 0,
    ...(samplesPerEpoch === undefined ? {} : { samplesPerEpoch }),
    scheduleState: resume?.schedule ?? trainOptions.schedule?.init?.() ?? {},
  };
}
