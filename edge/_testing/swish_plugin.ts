// A custom activation for the edge:build and end-to-end tests: the kind of
// module a user passes with --plugin.
import { elementwise } from "../../core/math/elementwise.ts";

const sigma = (x: number) => 1 / (1 + Math.exp(-x));

export const swish = elementwise({
  name: "test/swish",
  version: "1.0.0",
  f: (x) => x * sigma(x),
  df: (x, y) => y + sigma(x) * (1 - y),
});

export default [swish];
