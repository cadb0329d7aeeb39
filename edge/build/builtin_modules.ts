/**
 * Where each built-in activation is defined, so that a bundle imports only
 * the activations its model uses rather than all of them.
 *
 * @module
 */

/** One built-in activation's module, in plugins/activations/. */
export interface BuiltinModule {
  /** File name in plugins/activations/. */
  readonly file: string;
  /** The export that gives the plugin. */
  readonly name: string;
  /** The export is a factory: called with no arguments, it gives the default plugin. */
  readonly factory: boolean;
}

const plain = (file: string, name: string): BuiltinModule => ({ file, name, factory: false });
const made = (file: string, name: string): BuiltinModule => ({ file, name, factory: true });

/**
 * Built-in activation name to its module (a test checks this against
 * `builtinActivations()`).
 *
 * @example
 * ```ts
 * import { BUILTIN_ACTIVATION_MODULES } from "./builtin_modules.ts";
 * BUILTIN_ACTIVATION_MODULES.leakyRelu.file; // "leaky_relu.ts"
 * ```
 */
export const BUILTIN_ACTIVATION_MODULES: Readonly<Record<string, BuiltinModule>> = {
  identity: plain("identity.ts", "identity"),
  sigmoid: plain("sigmoid.ts", "sigmoid"),
  tanh: plain("tanh.ts", "tanh"),
  relu: plain("relu.ts", "relu"),
  leakyRelu: made("leaky_relu.ts", "leakyRelu"),
  elu: made("elu.ts", "elu"),
  softplus: plain("softplus.ts", "softplus"),
  gelu: plain("gelu.ts", "gelu"),
  silu: plain("silu.ts", "silu"),
  softmax: plain("softmax.ts", "softmax"),
};
