/**
 * Peak resident memory (VmHWM) of a process in kB, read from Linux's
 * /proc; 0 where it cannot be read (not Linux, or the process has ended).
 *
 * @module
 */

/** The peak resident memory of `pid` (this process by default) in kB, or 0. */
export function peakKb(pid: number | "self" = "self"): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
  } catch {
    return 0;
  }
}
