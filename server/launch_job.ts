/**
 * The real {@linkcode Launch}: builds a run with `jobs/run_job.ts` (the same
 * code path as `deno task train`) and, when training completes, evaluates
 * the test set and makes the model file.
 *
 * @module
 */
import { toModelFile } from "../core/model/model_file.ts";
import type { Plugin } from "../core/math/types.ts";
import { type Job, type JobOptions, runJob } from "../jobs/run_job.ts";
import { computeInsights } from "../jobs/insights.ts";
import { withDecisionGrids } from "../jobs/decision_grid.ts";
import { validationInsights } from "../jobs/validation_insights.ts";
import { fileStream } from "../jobs/file_data.ts";
import { admittedFileOf, openAdmittedFile } from "./data_path.ts";
import type { Launch } from "./run_store.ts";
import type { TrainingResult } from "./run_tracker.ts";

/** Options of {@linkcode launchJob}. */
export interface LaunchJobOptions {
  /** Plugins beside the built-ins (from `--plugin`). */
  plugins?: readonly Plugin[];
  /** Matrix kernels (default `"auto"`). */
  backend?: JobOptions["backend"];
}

/**
 * A launch that trains for real. A file data set must carry the file the
 * server's run policy admitted; it is opened only if it is still that file.
 *
 * @example
 * ```ts ignore
 * import { createRunStore } from "./run_store.ts";
 * import { launchJob } from "./launch_job.ts";
 * const store = createRunStore({ launch: launchJob({ plugins }) });
 * ```
 */
export function launchJob(options: LaunchJobOptions = {}): Launch {
  return async function launch(config, { checkpoint, resume }) {
    const job = await runJob(config, {
      plugins: options.plugins,
      backend: options.backend,
      open: () => fileStream(openAdmittedFile(admittedFileOf(config.dataset))),
      checkpoint,
      resume,
      // The run shares this thread with the server: a turn every 25 ms of work (about 8% of
      // the run's time), so that requests wait tens of milliseconds, not a hundred.
      yieldEveryMs: 25,
    });
    return {
      events$: job.events$.pipe(withDecisionGrids(job)),
      result: () => jobResult(job, job.evaluateTest()),
      stopped: () => stoppedResult(job),
    };
  };
}

/**
 * What a stopped run keeps: the model of the weights it reached, no test
 * scores, its training metadata marked `status: "stopped"`.
 *
 * @example
 * ```ts ignore
 * stoppedResult(job).model?.training?.status; // "stopped"
 * ```
 */
export function stoppedResult(job: Job): TrainingResult {
  const meta = job.modelMeta();
  return {
    model: toModelFile(job.modelNetwork(), {
      ...meta,
      training: { ...meta.training, status: "stopped" },
    }),
  };
}

/**
 * A finished run's model file, test scores (`test` being the job's `evaluateTest()`)
 * and its {@linkcode computeInsights} pictures: on its test data, or for a
 * file's classifier, on its validation rows.
 */
export async function jobResult(
  job: Job,
  test: ReturnType<Job["evaluateTest"]>,
): Promise<TrainingResult> {
  const model = toModelFile(job.modelNetwork(), job.modelMeta(test));
  const insights = job.testData
    ? computeInsights(job.network, job.testData, { classifier: test?.accuracy !== undefined })
    : await validationInsights(job);
  return { model, ...(test ? { test: { ...test } } : {}), ...(insights ? { insights } : {}) };
}
