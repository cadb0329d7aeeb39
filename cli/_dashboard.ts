// `deno task train --serve`: the dashboard and SSE stream for the CLI's own run.
import type { Plugin } from "../core/math/types.ts";
import type { Job } from "../jobs/run_job.ts";
import { jobResult } from "../server/launch_job.ts";
import { type LiveTraining, serveTraining } from "../server/serve_training.ts";
import type { ServeFlags } from "./flags.ts";

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
    io: { err(line: string): void };
    /** The run's test scores, evaluated once for the dashboard and the CLI's own report. */
    test: () => ReturnType<Job["evaluateTest"]>;
  },
): Promise<LiveTraining> {
  const token = serve.token ?? Deno.env.get("NAGARE_TOKEN");
  return serveTraining(job.config, {
    events$: job.events$,
    result: () => jobResult(job, options.test()),
  }, {
    ...(serve.host ? { host: serve.host } : {}),
    port: serve.port ?? 8000,
    ...(token ? { token } : {}),
    plugins: options.plugins,
    onListen: (url) => options.io.err(`dashboard: ${url} (this run is live there)`),
  });
}

/** Resolves at the next Ctrl-C. */
export function nextSigint(): Promise<void> {
  return new Promise((resolve) => {
    const on = (): void => {
      Deno.removeSignalListener("SIGINT", on);
      resolve();
    };
    Deno.addSignalListener("SIGINT", on);
  });
}
