// The app with live runs, a live config and an NDJSON request, for live-run route tests.
import { createLiveRuns } from "../live_runs.ts";
import { type TestAppOptions, withApp } from "./test_app.ts";

/** A live run of two inputs and two classes, 32 samples a batch, windows of 500. */
export const LIVE_CONFIG = {
  dataset: { live: { inputs: 2, outputs: 2 } },
  layers: [{ units: 16, activation: "tanh" }, { units: 2, activation: "softmax" }],
  batchSize: 32,
  window: 500,
};

/** An NDJSON POST request init. */
export const postNdjson = (body: BodyInit): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-ndjson" },
  body,
});

/** Runs `fn` with an app whose live runs post every batch event, and stops them afterwards. */
export async function withLive(
  fn: Parameters<typeof withApp>[0],
  options: TestAppOptions = {},
): Promise<void> {
  const live = createLiveRuns({ launch: { flushMs: 0 } });
  try {
    await withApp(fn, { live, ...options });
  } finally {
    await live.close();
  }
}
