/**
 * `GET /api/activations`: every registered activation and its derivative,
 * sampled for the gallery.
 *
 * @module
 */
import { Hono } from "hono";
import type { Registry } from "../../core/checks/registry.ts";
import {
  type ActivationCurves,
  activationCurves,
  type CurveOptions,
} from "../activation_curves.ts";

/**
 * The route, sampling once at the first request (the registry is fixed at
 * startup: plugins are never loaded from requests).
 *
 * @example
 * ```ts ignore
 * app.route("/api/activations", activationsRoute(registry));
 * ```
 */
export function activationsRoute(registry: Registry, options: CurveOptions = {}): Hono {
  let curves: ActivationCurves | undefined;
  return new Hono().get("/", (c) => {
    curves ??= activationCurves(registry.list("activation"), options);
    return c.json(curves);
  });
}
