// `deno task train --serve`: the dashboard and SSE stream for the CLI's own run.
import type { Plugin } from "../core/math/types.ts";
import type { Job } from "../jobs/run_job.ts";
import { withDecisionGrids } from "../jobs/decision_grid.ts";
import { jobResult, stoppedResult } from "../server/launch_job.ts";
import { type LiveTraining, serveTraining } from "../server/serve_training.ts";
import type { ServeFlags } from "./flags.ts";
import type { Recording } from "./_record.ts";

/**
 * Starts the server with the job attached as a live run. Subscribe to the
 * returned `events$` (not the job's: subscribing trains). The token comes from
 * `--token` or NAGARE_TOKEN; off loopback the server refuses to start without one.
 */
export function startDashboard(
  job: Job,
  serve: ServeFlags,
  options: {
    plugins: readonly Plugin[];
    /** Module URLs of `plugins`, so that runs started from the page train in Workers too. */
    pluginModules: readonly string[];
    io: { err(line: string): void };
    /** The run's test scores, evaluated once for the dashboard and the CLI's own report. */
    test: () => ReturnType<Job["evaluateTest"]>;
    /** The run as recorded in the state folder, shown live under its own id. */
    recording?: Recording;
  },
): Promise<LiveTraining> {
  const token = serve.token ?? Deno.env.get("NAGARE_TOKEN");
  return serveTraining(job.config, {
    events$: job.events$.pipe(withDecisionGrids(job)),
    result: () => jobResult(job, options.test()),
    stopped: () => stoppedResult(job),
  }, {
    ...(serve.host ? { host: serve.host } : {}),
    port: serve.port ?? 8000,
    ...(token ? { token } : {}),
    plugins: options.plugins,
    pluginModules: options.pluginModules,
    onListen: (url) => options.io.err(`dashboard: ${url} (this run is live there)`),
    ...(options.recording
      ? { attach: { run: options.recording.run, gate: options.recording.gate } }
      : {}),
  });
}
