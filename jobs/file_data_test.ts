import assert from "node:assert/strict";
import { fileStream } from "./file_data.ts";

async function tempFile(bytes: Uint8Array): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  await Deno.writeFile(path, bytes);
  return path;
}

Deno.test("fileStream: every byte in order, in reads of its chunk size, then the file is closed, with async and sync reads", async () => {
  const bytes = Uint8Array.from({ length: 2500 }, (_, i) => (i * 31) % 251);
  const path = await tempFile(bytes);
  try {
    // 100-byte reads: 26 of them, past the 16th (a sync stream's one read in 16 that waits).
    for (const [sync, size] of [[false, 1000], [true, 1000], [true, 100]] as const) {
      const file = Deno.openSync(path);
      const chunks: Uint8Array[] = [];
      for await (const chunk of fileStream(file, size, { sync })) chunks.push(chunk);
      const lengths = Array.from(
        { length: Math.ceil(2500 / size) },
        (_, i) => Math.min(size, 2500 - i * size),
      );
      assert.deepEqual(chunks.map((c) => c.length), lengths);
      assert.deepEqual(Uint8Array.from(chunks.flatMap((c) => Array.from(c))), bytes);
      assert.throws(() => file.statSync(), Deno.errors.BadResource); // closed at the end
    }
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("fileStream: a cancelled stream closes its file", async () => {
  const path = await tempFile(new Uint8Array(5000));
  try {
    const file = Deno.openSync(path);
    const reader = fileStream(file, 1000).getReader();
    assert.equal((await reader.read()).value?.length, 1000);
    await reader.cancel();
    assert.throws(() => file.statSync(), Deno.errors.BadResource);
  } finally {
    await Deno.remove(path);
  }
});
