import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveDataPath } from "./data_path.ts";

async function withDataDir(fn: (dir: string, outside: string) => Promise<void>): Promise<void> {
  const base = await Deno.makeTempDir({ prefix: "nagare-data-" });
  try {
    const dir = join(base, "data"), outside = join(base, "secret.csv");
    await Deno.mkdir(join(dir, "sub"), { recursive: true });
    await Deno.writeTextFile(join(dir, "ok.csv"), "x,y\n1,2\n");
    await Deno.writeTextFile(join(dir, "sub", "deep.csv"), "x,y\n1,2\n");
    await Deno.writeTextFile(outside, "top secret");
    await fn(dir, outside);
  } finally {
    await Deno.remove(base, { recursive: true });
  }
}

Deno.test("a data file inside the folder resolves to its real path", async () => {
  await withDataDir(async (dir) => {
    const real = await Deno.realPath(dir);
    assert.equal(await resolveDataPath(dir, "ok.csv"), join(real, "ok.csv"));
    assert.equal(
      await resolveDataPath(dir, "sub/../ok.csv"),
      join(real, "ok.csv"),
      "'..' that stays inside is fine",
    );
    assert.equal(await resolveDataPath(dir, "./sub/deep.csv"), join(real, "sub", "deep.csv"));
  });
});

Deno.test("data paths that escape the folder are refused with the reason", async () => {
  await withDataDir(async (dir, outside) => {
    await Deno.symlink(outside, join(dir, "link.csv"));
    const reason = (p: string) =>
      resolveDataPath(dir, p).then(() => "accepted", (e) => `${e.name}: ${e.message}`);
    assert.match(await reason("../secret.csv"), /^TypeError: must stay inside/);
    assert.match(await reason(outside), /not an absolute path/);
    assert.match(
      await reason("link.csv"),
      /outside the server's data folder \(through a symlink\)/,
    );
    assert.match(await reason("missing.csv"), /no file "missing.csv"/);
    assert.match(await reason("sub"), /not a regular file/);
    for (const p of [".", "sub/.."]) {
      assert.equal(
        await reason(p),
        `TypeError: "${p}" is the data folder itself, not a regular file`,
      );
    }
    assert.match(
      await reason("ok.csv/"),
      /^TypeError: "ok.csv\/" is not a regular file: it goes through a file/,
    );
    assert.match(await reason("ok.csv/x.csv"), /^TypeError: "ok.csv\/x.csv" is not a regular file/);
    await Deno.symlink("loop.csv", join(dir, "loop.csv"));
    assert.equal(
      await reason("loop.csv"),
      'TypeError: cannot open "loop.csv" (FilesystemLoop): check the name',
    );
    assert.match(await reason("a\0b"), /NUL/);
  });
});

Deno.test("without a data folder, file data sets are refused", async () => {
  await assert.rejects(resolveDataPath(undefined, "ok.csv"), {
    name: "TypeError",
    message: /--data-dir/,
  });
});
