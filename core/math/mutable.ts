/**
 * `T` with its readonly fields writable: for objects a module builds once and
 * updates in place (per-step arguments, per-epoch facts) or fills in before
 * handing them out. Internal.
 *
 * @module
 */

/** `T` with every field writable. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };
