// `deno task train --serve`: the dashboard and SSE stream for the CLI's own run.
import { toModelFile } from "../core/model_file.ts";
import type { Plugin } from "../core/types.ts";
import type { Job } from "../jobs/run_job.ts";
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
  options: { plugins: readonly Plugin[]; io: { err(line: string): void } },
): Promise<LiveTraining> {
  let test: ReturnType<Job["evaluateTest"]> | undefined, evaluated = false;
  const testOnce = () => evaluated ? test : (evaluated = true, test = job.evaluateTest());
  const token = serve.token ?? Deno.env.get("NAGARE_TOKEN");
  return serveTraining(job.config, {
    events$: job.events$,
    result: () => {
      const t = testOnce();
      const model = toModelFile(job.modelNetwork(), job.modelMeta(t));
      return { model, ...(t ? { test: { ...t } } : {}) };
    },
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
