/**
 * `GET /api/options`: what the run form may choose from: the built-in data
 * sets with their presets and the losses that fit each preset's output layer,
 * and the registered plugins by kind.
 *
 * @module
 */
import { Hono } from "hono";
import type { Registry } from "../../core/checks/registry.ts";
import { BUILTIN_DATASETS } from "../../jobs/datasets/mod.ts";
import { PRESETS } from "../../jobs/presets.ts";
import { lossFitIssue } from "../../jobs/run_config.ts";

/**
 * The options route.
 *
 * @example
 * ```ts ignore
 * app.route("/api/options", optionsRoute(registry));
 * ```
 */
export function optionsRoute(registry: Registry): Hono {
  // A registry is fixed once built, and so are the presets: the answer is worked out once.
  const body = {
    datasets: BUILTIN_DATASETS.map((name) => ({
      name,
      preset: PRESETS[name],
      // the run form keeps the preset's output layer: it offers only these losses
      losses: registry.list("loss")
        .filter((loss) =>
          !lossFitIssue({ layers: PRESETS[name].layers, loss: loss.name }, registry)
        )
        .map((loss) => loss.name),
    })),
    activations: registry.list("activation").map((p) => p.name),
    losses: registry.list("loss").map((p) => p.name),
    optimizers: registry.list("optimizer").map((p) => p.name),
  };
  return new Hono().get("/", (c) => c.json(body));
}
