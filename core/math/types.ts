/**
 * The shapes every part of nagare shares: plugin interfaces, network specs and
 * the arrays they work on. Types only; nothing here runs.
 *
 * @module
 */

/**
 * A flat array of floats. Training uses `Float32Array`; gradient checks run the
 * very same code on `Float64Array` so that finite differences are exact enough.
 */
export type Floats = Float32Array | Float64Array;

/** A row-major matrix view: `rows` samples of `cols` features in `data`. */
export interface Mat {
  /** Row-major values, at least `rows * cols` long. */
  readonly data: Floats;
  /** Number of rows (samples in a mini-batch). */
  readonly rows: number;
  /** Number of columns (features or units). */
  readonly cols: number;
}

/** Numeric parameters of a plugin, such as `{ alpha: 0.01 }` or `{ lr: 0.001 }`. */
export type PluginParams = Readonly<Record<string, number>>;

/** What every plugin has. */
export interface PluginBase {
  /** Name stored in model files, e.g. `"relu"` or `"myorg/swish"`. */
  readonly name: string;
  /** Version of the plugin's math, e.g. `"1.0.0"`. */
  readonly version?: string;
  /** Current numeric parameters, stored in model files beside the name. */
  readonly params?: PluginParams;
  /** Returns the same plugin with other parameters (e.g. `{ alpha: 0.2 }`). */
  readonly configure?: (params: PluginParams) => PluginBase;
  /** One line for humans: the formula. */
  readonly description?: string;
}

/** Arguments of {@linkcode ActivationPlugin.backward}; every matrix has the same shape. */
export interface ActivationGrad {
  /** Pre-activations the forward pass saw. */
  readonly z: Mat;
  /** Outputs the forward pass wrote, `h(z)`. */
  readonly y: Mat;
  /** Gradient of the loss with respect to `y`. */
  readonly dy: Mat;
  /** Written: gradient of the loss with respect to `z`. */
  readonly dz: Mat;
}

/**
 * An activation h applied to a batch of pre-activations. Element-wise ones are
 * best made with `elementwise()`; row-wise ones (softmax) implement both
 * methods over whole rows.
 */
export interface ActivationPlugin extends PluginBase {
  /** Tags an activation: registries file the plugin under its kind, and model files record it. */
  readonly kind: "activation";
  /** True when outputs are probabilities (sigmoid, softmax): losses use this to catch mismatches. */
  readonly probabilities?: boolean;
  /** True for row-wise activations, whose outputs depend on the whole row. */
  readonly rowwise?: boolean;
  /** Preferred weight init for layers using this activation. */
  readonly init?: InitName;
  /**
   * A standard form that matrix backends compute inside the product itself
   * (no pass of its own over the layer): `"relu"` promises that `forward` is
   * max(z, 0) and `backward` is dy · [z > 0]. The registry checks the promise.
   */
  readonly kernel?: "relu";
  /** The scalar function, for element-wise activations (plots, checks). */
  readonly f?: (x: number) => number;
  /** The scalar derivative h'(x) given x and y = h(x), for element-wise activations. */
  readonly df?: (x: number, y: number) => number;
  /** Writes `y = h(z)`; `z` and `y` have the same shape and may not alias. */
  forward(z: Mat, y: Mat): void;
  /** Writes `dz = dL/dz` from `dy = dL/dy` (chain rule through h). */
  backward(grad: ActivationGrad): void;
  /** As {@linkcode PluginBase.configure}: an activation of the same name, which the registry proves again. */
  readonly configure?: (params: PluginParams) => ActivationPlugin;
}

/** What a loss expects from the output layer. */
export type LossInput = "probabilities" | "logits" | "values";

/** Arguments of a loss: predictions and targets of the same shape. */
export interface LossArgs {
  /** Network outputs (after the output activation). */
  readonly y: Mat;
  /** Targets, same shape as `y` (one-hot rows for classification). */
  readonly t: Mat;
}

/**
 * A fast path that goes straight from pre-activations to their gradient for one
 * output activation, e.g. softmax + cross-entropy: dL/dz = (y - t) / n.
 */
export interface FusedLoss {
  /** Name of the output activation this path replaces. */
  readonly activation: string;
  /** Mean loss computed from pre-activations `z` (stable: log-sum-exp). */
  loss(z: Mat, t: Mat): number;
  /** Writes dL/dz for the mean loss, given `z`, `y = h(z)` and targets. */
  gradient(z: Mat, y: Mat, t: Mat, dz: Mat): void;
}

/** A loss L(y, t), averaged over the rows of a batch. */
export interface LossPlugin extends PluginBase {
  /** Tags a loss: registries file the plugin under its kind, and model files record it. */
  readonly kind: "loss";
  /** What the output layer must produce; checked when a network is paired with the loss. */
  readonly input: LossInput;
  /** Mean loss over the batch. */
  loss(args: LossArgs): number;
  /** Writes `dy = dL/dy` for the mean loss (so it already holds the 1/rows factor). */
  gradient(args: LossArgs, dy: Mat): void;
  /** Optional fused path with the output activation (see {@linkcode FusedLoss}). */
  readonly fused?: FusedLoss;
  /** As {@linkcode PluginBase.configure} (e.g. huber's `{ delta: 2 }`): a loss of the same name, proven again. */
  readonly configure?: (params: PluginParams) => LossPlugin;
}

/**
 * Per-step context handed to an optimizer's update. Read it during the call:
 * a training step reuses one object, with new values at every step.
 */
export interface UpdateContext {
  /** Learning rate for this step (after schedules). */
  readonly lr: number;
  /** 1-based count of steps taken, including this one. */
  readonly t: number;
}

/**
 * A gradient-descent rule. Optimizers differ only in `update`; their state is
 * `slots` arrays per parameter tensor, owned by the caller, so it can be saved
 * and restored.
 */
export interface OptimizerPlugin extends PluginBase {
  /** Tags an optimizer: registries file the plugin under its kind, and model files record it. */
  readonly kind: "optimizer";
  /** Default learning rate. */
  readonly lr: number;
  /** How many state arrays (each the size of the parameter) the rule keeps per tensor. */
  readonly slots: number;
  /** Rescale all gradients together when their global L2 norm exceeds this. */
  readonly clipNorm?: number;
  /**
   * True when `update` treats every element on its own (as SGD, Adam and the
   * other built-ins do), so that updating any slices of a tensor and its slots
   * equals updating the whole: a data-parallel trainer then splits the update
   * across threads. Leave it out when the rule looks at a tensor as a whole.
   */
  readonly elementwise?: boolean;
  /**
   * A standard rule that matrix backends run natively (on SIMD lanes, with
   * the same float32 arithmetic for float32 weights): `"adam"` promises that `update` is exactly
   * core/math/adam_rule.ts with `beta1`, `beta2`, `eps` and `weightDecay` from
   * `params`, and slots [m, v]. The registry checks the promise bit for bit.
   */
  readonly kernel?: "adam";
  /** Updates `param` in place from `grad`, reading and writing its `slots`. */
  update(param: Floats, grad: Floats, slots: Floats[], ctx: UpdateContext): void;
  /** As {@linkcode PluginBase.configure} (e.g. `{ beta1: 0.8 }`): an optimizer of the same name, proven again. */
  readonly configure?: (params: PluginParams) => OptimizerPlugin;
}

/** Any plugin. */
export type Plugin = ActivationPlugin | LossPlugin | OptimizerPlugin;

/** The kinds of plugin. */
export type PluginKind = Plugin["kind"];

/** Weight initialisation schemes. */
export type InitName = "he" | "glorot" | "lecun" | "zeros";

/** A plugin named in a spec: a name, or a name with parameters. */
export type PluginRef = string | { readonly name: string; readonly params?: PluginParams };

/** One dense layer in a {@linkcode NetworkSpec}. */
export interface LayerSpec {
  /** Number of neurons. */
  readonly units: number;
  /** Activation plugin name (default `"identity"`). */
  readonly activation?: PluginRef;
  /** Weight init; by default chosen from the activation (He for ReLU family, Glorot otherwise). */
  readonly init?: InitName;
}

/** A plain description of a feed-forward network. */
export interface NetworkSpec {
  /** Width of an input row. */
  readonly inputs: number;
  /** Dense layers, first to last. */
  readonly layers: readonly LayerSpec[];
}

/** A mini-batch: inputs and targets with the same number of rows. */
export interface Batch {
  /** Inputs, rows x network inputs. */
  readonly x: Mat;
  /** Targets, rows x network outputs (one-hot rows for classification). */
  readonly t: Mat;
}

/**
 * `T` with its readonly fields writable: for objects a module builds once and
 * updates in place (per-step arguments, per-epoch facts).
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
