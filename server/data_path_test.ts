import assert from "node:assert/strict";
import { join } from "node:path";
import { openAdmittedFile, resolveDataPath } from "./data_path.ts";

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

Deno.test("a data file inside the folder resolves to its real path, keeping the client's name", async () => {
  await withDataDir(async (dir) => {
    const real = await Deno.realPath(dir);
    const admitted = await resolveDataPath(dir, "ok.csv");
    const info = await Deno.stat(join(real, "ok.csv"));
    assert.deepEqual(admitted, {
      name: "ok.csv",
      realPath: join(real, "ok.csv"),
      root: real,
      dev: info.dev,
      ino: info.ino,
    });
    assert.equal(
      (await resolveDataPath(dir, "sub/../ok.csv")).realPath,
      join(real, "ok.csv"),
      "'..' that stays inside is fine",
    );
    const deep = await resolveDataPath(dir, "./sub/deep.csv");
    assert.equal(deep.realPath, join(real, "sub", "deep.csv"));
    assert.equal(deep.name, "./sub/deep.csv");
  });
});

Deno.test("an admitted file opens while it is the file that was checked", async () => {
  await withDataDir(async (dir) => {
    const admitted = await resolveDataPath(dir, "ok.csv");
    await Deno.writeTextFile(join(dir, "ok.csv"), "x,y\n3,4\n"); // new content, same file
    using file = openAdmittedFile(admitted);
    assert.equal(await new Response(file.readable).text(), "x,y\n3,4\n");
  });
});

Deno.test("an admitted file swapped for a symlink to an outside file is refused without its content", async () => {
  await withDataDir(async (dir, outside) => {
    const admitted = await resolveDataPath(dir, "ok.csv");
    await Deno.remove(join(dir, "ok.csv"));
    await Deno.symlink(outside, join(dir, "ok.csv"));
    assert.throws(() => openAdmittedFile(admitted), {
      name: "TypeError",
      message:
        'The data file changed since the run was admitted: "ok.csv" is another file now; put the file back or start the run again',
    });
  });
});

Deno.test("an admitted file replaced, or removed, is refused naming the client's path only", async () => {
  await withDataDir(async (dir) => {
    const admitted = await resolveDataPath(dir, "ok.csv");
    await Deno.rename(join(dir, "sub", "deep.csv"), join(dir, "ok.csv")); // another inode, inside
    assert.throws(() => openAdmittedFile(admitted), { message: /"ok.csv" is another file now/ });
    await Deno.remove(join(dir, "ok.csv"));
    await Deno.mkdir(join(dir, "ok.csv"));
    assert.throws(() => openAdmittedFile(admitted), { message: /"ok.csv" is another file now/ });
    await Deno.remove(join(dir, "ok.csv"));
    assert.throws(() => openAdmittedFile(admitted), {
      message:
        'The data file changed since the run was admitted: "ok.csv" is gone; put the file back or start the run again',
    });
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
