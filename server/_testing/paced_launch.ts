// Slows a launch's epoch events down, so that a browser can watch a run that
// would otherwise finish in milliseconds. Training itself is untouched.
import { concatMap, map, of, timer } from "rxjs";
import type { Launch } from "../run_store.ts";

export function pacedLaunch(inner: Launch, msPerEpoch: number): Launch {
  return async (config, options) => {
    const training = await inner(config, options);
    return {
      ...training,
      events$: training.events$.pipe(
        concatMap((e) => (e.type === "epoch" ? timer(msPerEpoch).pipe(map(() => e)) : of(e))),
      ),
    };
  };
}
