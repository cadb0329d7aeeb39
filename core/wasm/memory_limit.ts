/**
 * The one size limit of the kernels' memory: wasm32 addresses 4 GiB (65,536
 * pages of 64 KiB); a backend takes at most 4,095 MiB of it, so that every
 * byte offset stays below 2^32.
 *
 * @module
 */

/** Bytes in a wasm memory page. */
export const WASM_PAGE_BYTES = 65_536;
/** Pages in a 32-bit wasm memory at most (4 GiB): the shared memory's declared maximum. */
export const WASM_MAX_PAGES = 65_536;
/** The most memory a backend takes, in MiB: 4 GiB less one MiB. */
export const MAX_MEMORY_MIB = WASM_MAX_PAGES / 16 - 1;
