import { elementwise } from "../../core/math/elementwise.ts";

/**
 * Bent identity, a whole custom activation in one file:
 * h(x) = (√(x² + 1) − 1) / 2 + x and h'(x) = x / (2√(x² + 1)) + 1.
 * Smooth, unbounded, never flat (h' lies in (0.5, 1.5)), so it does not die
 * like ReLU. The registry proves f and df agree before any layer uses it; try
 * `deno task plugin:check ./examples/plugins/bent_identity.ts`.
 *
 * @example
 * ```ts
 * import bentIdentity from "./bent_identity.ts";
 * import { createRegistry } from "../../core/checks/registry.ts";
 * const registry = createRegistry([bentIdentity]); // checked here
 * bentIdentity.f?.(0); // 0
 * bentIdentity.df?.(0, 0); // 1
 * ```
 */
export default elementwise({
  name: "myorg/bentIdentity",
  version: "1.0.0",
  description: "h(x) = (sqrt(x^2 + 1) - 1) / 2 + x",
  f: (x) => (Math.sqrt(x * x + 1) - 1) / 2 + x,
  df: (x) => x / (2 * Math.sqrt(x * x + 1)) + 1,
});
