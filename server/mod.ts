/**
 * nagare's server: a Hono app on Deno.serve with a training-runs API, live
 * Server-Sent Events with replay, an activation gallery and a dashboard.
 *
 * Routes (JSON unless noted; every error is `{ error: { code, message, ... } }`):
 * - `POST /api/runs` (a run config, the schema of `jobs/run_config.ts`) → 201 `{ id, status, links }`
 * - `GET /api/runs[?status=queued|running|done|stopped|failed]` → `{ runs }`
 * - `GET /api/runs/:id` → config, status, latest metrics, test metrics
 * - `POST /api/runs/:id/stop` → the run (stopped, or stopping)
 * - `GET /api/runs/:id/model` → the model file once done, else 409
 * - `GET /api/runs/:id/events` → `text/event-stream`: `status`, `epoch`, `batch`, `end`, `error`
 * - `GET /api/activations`, `GET /api/options` → gallery data, form choices
 * - `GET /`, `GET /activations`, `/assets/*` → the dashboard (uPlot served from its npm package)
 *
 * Events: one id sequence per run; `Last-Event-ID` (or `?lastEventId=`)
 * replays every kept event after it, then the live tail; a finished run
 * replays and closes (204 when nothing is left). History keeps every
 * non-batch event and at most 512 batch events (thinned evenly). Each client
 * gets at most 10 batch events per second, a `retry:` hint, a comment every
 * 15 s, and its own bounded queue: a slow client loses batch events, never
 * epoch events (if even those would overflow it is disconnected and its
 * EventSource resumes from history), and never slows training or others.
 *
 * @module
 */
export { type AppOptions, createApp } from "./app.ts";
export { isLoopback, type RunningServer, type ServeOptions, startServer } from "./serve.ts";
export { type LiveTraining, serveTraining } from "./serve_training.ts";
export { createRunStore, type Launch, type RunStore, type RunStoreOptions } from "./run_store.ts";
export { trackRun, type Training, type TrainingResult } from "./run_tracker.ts";
export { launchJob, type LaunchJobOptions } from "./launch_job.ts";
export { launchInWorker, type WorkerLaunch, type WorkerLaunchOptions } from "./worker_launch.ts";
export { type Run, type RunStatus } from "./run.ts";
export { createRunLog, type LoggedEvent, type RunLog } from "./run_log.ts";
export { runEventStream, type SseStreamOptions } from "./sse_stream.ts";
export { type ActivationCurves, activationCurves } from "./activation_curves.ts";
export { ApiError } from "./errors.ts";
export { parseServeArgs, SERVE_HELP } from "./serve_args.ts";
