// The permission flags of a deno.json task, so that tests run a command with exactly the
// rights its task gives it (not -A, which would hide what the task may not do).

/**
 * The `--allow-*` flags of the task `name` in deno.json.
 *
 * @example
 * ```ts ignore
 * taskFlags("serve"); // ["--allow-read", "--allow-write", "--allow-env", "--allow-net", "--allow-sys"]
 * ```
 */
export function taskFlags(name: string): string[] {
  const config = JSON.parse(Deno.readTextFileSync(new URL("../deno.json", import.meta.url)));
  const task = config.tasks?.[name];
  if (typeof task !== "string") throw new TypeError(`No task "${name}" in deno.json`);
  return task.split(/\s+/).filter((word) => word.startsWith("--allow-"));
}
