/**
 * The server of `api_latency.ts`, in a process of its own so that the
 * client's clock never waits for the server's event loop. Starts the real
 * server on a free port with the launch named by its argument (`worker`, the
 * default one, or `in-process`), prints `{"url": ...}`, then `{"training": n}` once n runs
 * have logged a batch event. Stopped by its parent.
 *
 * @module
 */
import { launchJob } from "../server/launch_job.ts";
import { startServer } from "../server/serve.ts";

const [mode = "worker", wanted = "2"] = Deno.args;
if (mode !== "worker" && mode !== "in-process") {
  throw new TypeError(`Invalid launch "${mode}": pass worker or in-process`);
}
const server = await startServer({
  port: 0,
  maxRuns: Number(wanted),
  // The default launch trains in Workers; the other trains on the server's own event loop.
  ...(mode === "in-process" ? { launch: launchJob() } : {}),
  onListen: () => {},
});
console.log(JSON.stringify({ url: server.url }));
const training = () =>
  server.store.list().filter((run) => run.log.since(0).some((e) => e.event === "batch")).length;
while (training() < Number(wanted)) await new Promise((r) => setTimeout(r, 20));
console.log(JSON.stringify({ training: training() }));
