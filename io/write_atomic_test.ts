import assert from "node:assert/strict";
import { join } from "node:path";
import { writeFileAtomic } from "./write_atomic.ts";

async function withTempDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "nagare-atomic-" });
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const entries = async (dir: string) =>
  (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();

Deno.test("writeFileAtomic writes text and bytes and leaves no temporary file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "a.json");
    await writeFileAtomic(path, '{"v":1}');
    assert.equal(await Deno.readTextFile(path), '{"v":1}');
    await writeFileAtomic(path, new Uint8Array([104, 105]));
    assert.equal(await Deno.readTextFile(path), "hi");
    assert.deepEqual(await entries(dir), ["a.json"]);
  });
});

Deno.test("writeFileAtomic keeps the old file and cleans up when the rename fails", async () => {
  await withTempDir(async (dir) => {
    const target = join(dir, "taken");
    await Deno.mkdir(join(target, "child"), { recursive: true }); // renaming a file over a non-empty folder fails
    await assert.rejects(() => writeFileAtomic(target, "x"));
    assert.deepEqual(await entries(dir), ["taken"]);
    assert.ok((await Deno.stat(target)).isDirectory);
  });
});

Deno.test("writeFileAtomic fails cleanly when the folder does not exist", async () => {
  await withTempDir(async (dir) => {
    await assert.rejects(
      () => writeFileAtomic(join(dir, "missing", "a.txt"), "x"),
      Deno.errors.NotFound,
    );
    assert.deepEqual(await entries(dir), []);
  });
});

Deno.test("concurrent writers never leave a mixed file", async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, "big.txt");
    const a = "a".repeat(1 << 20), b = "b".repeat(1 << 20);
    await Promise.all([writeFileAtomic(path, a), writeFileAtomic(path, b)]);
    const text = await Deno.readTextFile(path);
    assert.ok(text === a || text === b);
    assert.deepEqual(await entries(dir), ["big.txt"]);
  });
});
