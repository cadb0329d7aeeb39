// The signals that stop the CLI: Ctrl-C (SIGINT), and SIGTERM from `kill`, a service
// manager or a container runtime. Both mean the same; only the exit code tells them apart.

/** A signal that stops the CLI. */
export type StopSignal = "SIGINT" | "SIGTERM";

// Windows has no SIGTERM listener (Deno throws on it): Ctrl-C only there.
const STOP_SIGNALS: readonly StopSignal[] = Deno.build.os === "windows"
  ? ["SIGINT"]
  : ["SIGINT", "SIGTERM"];

/** Calls `handler` on every stop signal until the returned function is called. */
export function onStopSignal(handler: (signal: StopSignal) => void): () => void {
  const listeners = STOP_SIGNALS.map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) Deno.addSignalListener(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  };
}

/** Resolves at the next stop signal, with its name. */
export function nextStopSignal(): Promise<StopSignal> {
  return new Promise((resolve) => {
    const off = onStopSignal((signal) => {
      off();
      resolve(signal);
    });
  });
}

/** The exit code of a run a signal stopped: 128 + its number, as shells report it (130, 143). */
export function interruptedExitCode(signal: StopSignal): number {
  return signal === "SIGTERM" ? 143 : 130;
}
