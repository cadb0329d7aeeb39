/**
 * The checks the registry runs on every plugin before it is used: shape,
 * purity, finite outputs, gradients (activations and losses) and updates
 * (optimizers).
 *
 * @module
 */
export {
  assertPlugin,
  checkPlugin,
  type CheckPluginOptions,
  type CheckResult,
  type PluginReport,
} from "./check_plugin.ts";
export {
  checkActivationFinite,
  checkActivationGradients,
  checkActivationPurity,
} from "./activation_checks.ts";
export { checkActivationScalar } from "./activation_scalar_check.ts";
export { checkLossFinite, checkLossGradients, checkLossPurity } from "./loss_checks.ts";
export {
  checkOptimizerKernel,
  checkOptimizerPurity,
  checkOptimizerUpdate,
} from "./optimizer_checks.ts";
