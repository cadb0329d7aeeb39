// Polls a condition between macrotasks, for tests of background work. The
// timeout only guards against a hang: a test waits for an event, never asserts
// how soon it comes, so the default is generous enough for a machine whose
// cores are all busy with other work.
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what = "condition",
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}
