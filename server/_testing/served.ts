// Runs `deno task serve` (or `deno task worker`) as a child process for the tests that kill
// it: its stderr is collected as it comes, and `api` calls the server it started.
import { waitFor } from "./wait_for.ts";
import { taskFlags } from "../../testing/task_flags.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const SERVE = new URL("../../cli/serve.ts", import.meta.url).pathname;
const WORKER = new URL("../../cli/worker.ts", import.meta.url).pathname;

/** A child process of one of the CLI's scripts. */
export interface Child {
  /** Its stderr so far. */
  readonly text: string;
  /** Sends `signal` (default SIGTERM) and waits for the process to end. */
  stop(signal?: Deno.Signal): Promise<void>;
}

/** Runs `script` with the permissions of its deno.json task. */
function spawn(task: string, script: string, args: string[]): Child {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", ...taskFlags(task), "--config", CONFIG, script, ...args],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) text += chunk;
  })();
  return {
    get text() {
      return text;
    },
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
      await child.status;
      await reading;
    },
  };
}

/** `deno task worker` with `args`. */
export const worker = (args: string[]): Child => spawn("worker", WORKER, args);

/** `deno task serve --port 0` with `args`, once it listens. */
export async function server(args: string[]): Promise<
  Child & {
    api(path: string, init?: RequestInit): Promise<Response>;
  }
> {
  const child = spawn("serve", SERVE, ["--port", "0", ...args]);
  await waitFor(
    () => /dashboard on (\S+)/.test(child.text) || /error:/.test(child.text),
    "the server to listen",
    60_000,
  );
  const url = child.text.match(/dashboard on (\S+)/)?.[1];
  if (!url) throw new Error(`the server did not start: ${child.text}`);
  return {
    get text() {
      return child.text;
    },
    stop: child.stop,
    api: (path, init) => fetch(new URL(path, url), init),
  };
}
