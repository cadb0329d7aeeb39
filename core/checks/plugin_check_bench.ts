// The registry checks every plugin before use: one activation's full check
// (shape, purity, finite probes, gradient check, fingerprint) must stay well
// under 50 ms, and a registry of already-checked plugins must cost next to nothing.
import { elementwise } from "../math/elementwise.ts";
import { checkPlugin } from "./check_plugin.ts";
import { createRegistry } from "./registry.ts";
import {
  fakeIdentity,
  fakeMse,
  fakeRelu,
  fakeSgd,
  fakeSigmoid,
  fakeTanh,
} from "../_testing/fakes.ts";

const bentIdentity = () =>
  elementwise({
    name: "myorg/bentIdentity",
    f: (x) => (Math.sqrt(x * x + 1) - 1) / 2 + x,
    df: (x) => x / (2 * Math.sqrt(x * x + 1)) + 1,
  });

Deno.bench("check one activation plugin (fresh object: nothing cached)", { group: "check" }, () => {
  if (!checkPlugin(bentIdentity()).ok) throw new Error("bent identity should pass");
});

Deno.bench("check one loss plugin (fresh object)", { group: "check" }, () => {
  if (!checkPlugin({ ...fakeMse }).ok) throw new Error("mse should pass");
});

Deno.bench("check one optimizer plugin (fresh object)", { group: "check" }, () => {
  if (!checkPlugin(fakeSgd(0.1)).ok) throw new Error("sgd should pass");
});

const plugins = [
  fakeIdentity,
  fakeRelu,
  fakeSigmoid,
  fakeTanh,
  fakeMse,
  fakeSgd(0.1),
  bentIdentity(),
];
createRegistry(plugins);

Deno.bench("createRegistry of 7 plugins already checked (cached)", { group: "registry" }, () => {
  createRegistry(plugins);
});

Deno.bench(
  "createRegistry of 7 new plugin objects (every check runs)",
  { group: "registry" },
  () => {
    createRegistry([
      { ...fakeIdentity },
      { ...fakeRelu },
      { ...fakeSigmoid },
      { ...fakeTanh },
      { ...fakeMse },
      fakeSgd(0.1),
      bentIdentity(),
    ]);
  },
);
