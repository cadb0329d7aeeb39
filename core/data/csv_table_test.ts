import assert from "node:assert/strict";
import { csvTableSource, fitCsvTable, heldOut } from "./csv_table.ts";
import type { Sample } from "./data_source.ts";
import { tableInputs, unscaleOutputs } from "./table.ts";

const bytes = (text: string) => () => new Blob([text]).stream();

async function samples(source: ReturnType<typeof csvTableSource>): Promise<Sample[]> {
  const out: Sample[] = [];
  for await (const s of source.open(new AbortController().signal)) out.push(s);
  return out;
}

const rows = (x: Sample["x"]) => Array.from(x, (v) => Math.round(v * 1e4) / 1e4);

const SHOP = [
  "size,color,member,note,price",
  "1,red,true,a,100",
  "2,blue,false,b,200",
  "3,,yes,c,300",
  "NA,red,no,d,400",
  "4,green,TRUE,e,500",
].join("\n");

Deno.test("a table is learned from the rows: numbers, categories, booleans, missing cells", async () => {
  const { table, report, rows: counts } = await fitCsvTable(bytes(SHOP), {
    target: "price",
    columns: { note: "ignore" },
  });
  assert.deepEqual(counts, { train: 5, validation: 0 });
  assert.deepEqual(table.columns.map((c) => `${c.name}:${c.type}`), [
    "size:number",
    "color:category",
    "member:boolean",
  ]);
  assert.deepEqual(table.ignored, ["note"]);
  assert.deepEqual(report.missing, { size: 1, color: 1 });
  const size = table.columns[0];
  assert.ok(size.type === "number" && size.center === 2.5 && size.fill === 2.5);
  const color = table.columns[1];
  assert.ok(color.type === "category");
  assert.deepEqual(color.values, ["blue", "green", "red"]);
  assert.equal(color.missing, true);
  // size 1 + color (3 values, missing, unknown) 5 + member 1
  assert.equal(tableInputs(table), 7);
  assert.ok(table.target.type === "number" && table.target.center === 300);
});

Deno.test("encoded rows: standardized numbers, imputed cells, one-hot categories, scaled targets", async () => {
  const { table } = await fitCsvTable(bytes(SHOP), {
    target: "price",
    columns: { note: "ignore" },
  });
  const out = await samples(csvTableSource(bytes(SHOP), table, { part: "all" }));
  assert.equal(out.length, 5);
  const sd = Math.sqrt(1.25); // sizes 1..4 around 2.5
  assert.deepEqual(rows(out[0].x).slice(0, 6), rows([(1 - 2.5) / sd, 0, 0, 1, 0, 0]));
  // Row 3: color missing -> its own slot; row 4: size missing -> the mean, standardized to 0.
  assert.deepEqual(rows(out[2].x).slice(1, 6), [0, 0, 0, 1, 0]);
  assert.equal(out[3].x[0], 0);
  const y = Float32Array.from(out.map((s) => (s.y as Float32Array)[0]));
  unscaleOutputs(table, y);
  assert.deepEqual(rows(y), [100, 200, 300, 400, 500]);
});

Deno.test("string labels make a classifier with sorted class names and one-hot targets", async () => {
  const iris = "a,b,species\n1,2,setosa\n2,3,virginica\n3,1,versicolor\n4,4,setosa\n";
  const { table } = await fitCsvTable(bytes(iris), { target: "species" });
  assert.ok(table.target.type === "classes");
  assert.deepEqual(table.target.classes, ["setosa", "versicolor", "virginica"]);
  const out = await samples(csvTableSource(bytes(iris), table, { part: "all" }));
  assert.deepEqual(Array.from(out[1].y as Float32Array), [0, 0, 1]);
  const two = await fitCsvTable(bytes("x,ok\n1,yes\n2,no\n"), { target: "ok" });
  const binary = await samples(
    csvTableSource(bytes("x,ok\n1,yes\n2,no\n"), two.table, { part: "all", outputs: 1 }),
  );
  assert.deepEqual(binary.map((s) => Array.from(s.y as Float32Array)), [[1], [0]]); // classes: no, yes
});

Deno.test("numeric class labels sort as numbers", async () => {
  const text = "x,digit\n" + [10, 2, 1, 2, 10].map((d, i) => `${i},${d}`).join("\n");
  const { table } = await fitCsvTable(bytes(text), { target: "digit", numericTarget: "classes" });
  assert.ok(table.target.type === "classes");
  assert.deepEqual(table.target.classes, ["1", "2", "10"]);
});

Deno.test("a column of small whole numbers and a text is a category of all its values", async () => {
  const text = "code,y\n3,1\n1,2\n3,3\nx,4\n2,5\n1023,6\n";
  for (const cacheBytes of [undefined, 1 << 20]) {
    const { table } = await fitCsvTable(bytes(text), {
      target: "y",
      ...(cacheBytes ? { cacheBytes } : {}),
    });
    assert.deepEqual(table.columns, [
      { name: "code", type: "category", values: ["1", "1023", "2", "3", "x"], missing: false },
    ]);
  }
});

Deno.test("the held-out rows are a seeded hash of the row number: disjoint, complete, repeatable", async () => {
  const split = { fraction: 0.25, seed: 7 };
  const held = Array.from({ length: 4000 }, (_, row) => heldOut(row, split));
  const count = held.filter(Boolean).length;
  assert.ok(count > 850 && count < 1150, `${count} of 4000 held out`);
  assert.deepEqual(held, Array.from({ length: 4000 }, (_, row) => heldOut(row, split)));
  assert.notDeepEqual(
    held,
    Array.from({ length: 4000 }, (_, row) => heldOut(row, { ...split, seed: 8 })),
  );
  const text = "x,y\n" + Array.from({ length: 200 }, (_, i) => `${i},${i % 2}`).join("\n");
  const fit = await fitCsvTable(bytes(text), { target: "y", split, columns: { y: "category" } });
  const train = await samples(csvTableSource(bytes(text), fit.table, { part: "train", split }));
  const validation = await samples(
    csvTableSource(bytes(text), fit.table, { part: "validation", split }),
  );
  assert.equal(train.length, fit.rows.train);
  assert.equal(validation.length, fit.rows.validation);
  assert.equal(train.length + validation.length, 200);
});

Deno.test("a text in a numeric column after the sniffed rows names its line, column and fix", async () => {
  const text = "x,y\n" + Array.from({ length: 30 }, (_, i) => `${i},${i}`).join("\n") + "\nabc,1\n";
  await assert.rejects(fitCsvTable(bytes(text), { target: "y", sniffRows: 10 }), {
    name: "TypeError",
    message:
      /^Invalid data: line 32, column "x": "abc" is not a number, but the first 10 rows were; fix the cell, or declare the column a category \(--categorical x, or "columns": \{ "x": "category" \}\)$/,
  });
});

Deno.test("--missing error refuses a missing cell, naming line and column", async () => {
  await assert.rejects(fitCsvTable(bytes("x,y\n1,2\n,3\n"), { target: "y", missing: "error" }), {
    message:
      'Invalid data: line 3, column "x": the cell is missing, and missing cells are refused (--missing error, "missing": "error"); fill it or remove the row',
  });
});

Deno.test("a missing target, an unknown column or target, and a lone class are clear errors", async () => {
  await assert.rejects(
    fitCsvTable(bytes("x,y\n1,\n"), { target: "y" }),
    /line 2, column "y": the target is missing/,
  );
  await assert.rejects(
    fitCsvTable(bytes("x,y\n1,2\n"), { target: "z" }),
    /Unknown target column "z": the header has x, y/,
  );
  await assert.rejects(
    fitCsvTable(bytes("x,y\n1,2\n"), { target: "y", columns: { w: "number" } }),
    /Unknown column "w"/,
  );
  await assert.rejects(
    fitCsvTable(bytes("x,y\n1,a\n2,a\n"), { target: "y" }),
    /has only one class/,
  );
  await assert.rejects(fitCsvTable(bytes("x,y\n"), { target: "y" }), /no training rows/);
});

Deno.test("a column of distinct texts (an identifier) is left out, and said why", async () => {
  const text = "id,x,y\n" +
    Array.from({ length: 120 }, (_, i) => `user${i},${i % 7},${i % 3}`).join("\n");
  const { table, report } = await fitCsvTable(bytes(text), { target: "y" });
  assert.deepEqual(table.ignored, ["id"]);
  assert.match(
    report.columns[0].why,
    /^120 distinct texts in 120 rows: an identifier or free text$/,
  );
});

Deno.test("rows kept in memory encode exactly as the streamed file does", async () => {
  // More rows than one cache chunk (4,096), three byte columns side by side, a missing boolean.
  const lines = ["n,small,px,city,flag,kind,dark"];
  for (let i = 0; i < 5000; i++) {
    const small = i === 4500 ? "300" : String(i % 7); // one value past a byte: the column widens
    const n = i % 11 === 0 ? "" : (i / 3).toFixed(2);
    const city = i % 13 === 0 ? "NA" : ["a", "b", "c"][i % 3];
    const flag = i % 17 === 0 ? "" : i % 2 ? "yes" : "no";
    lines.push(`${n},${small},${(i * 7) % 256},${city},${flag},${["x", "y"][i % 2]},${i % 5}`);
  }
  const text = lines.join("\n") + "\n", split = { fraction: 0.2, seed: 3 };
  const fit = await fitCsvTable(bytes(text), {
    target: "kind",
    split,
    cacheBytes: 1 << 20,
    sniffRows: 50,
  });
  assert.deepEqual(fit.table.columns.map((c) => c.type), [
    "number",
    "number",
    "number",
    "category",
    "boolean",
    "number",
  ]);
  for (const memory of [fit.memory!(2)!, fit.memory!(2)!]) { // asked twice: the same rows
    for (const part of ["train", "validation"] as const) {
      const streamed = await samples(csvTableSource(bytes(text), fit.table, { part, split }));
      const source = part === "train" ? memory.train : memory.validation!;
      assert.equal(source.size, streamed.length);
      // Read in a shuffled order: each row lands where the order puts it.
      const order = Uint32Array.from({ length: source.size }, (_, i) => (i * 7919) % source.size);
      const x = new Float32Array(source.size * source.inputs);
      const t = new Float32Array(source.size * 2);
      source.encodeRows!(order, { x, t });
      const picked = Array.from(order, (r) => streamed[r]);
      assert.deepEqual(x, Float32Array.from(picked.flatMap((s) => Array.from(s.x))));
      assert.deepEqual(
        t,
        Float32Array.from(picked.flatMap((s) => Array.from(s.y as Float32Array))),
      );
    }
  }
  const tiny = await fitCsvTable(bytes(text), { target: "kind", split, cacheBytes: 1000 });
  assert.equal(tiny.memory, undefined); // over the budget: streamed
});

Deno.test("a file whose rows would outgrow the cache is streamed from the start", async () => {
  const text = "x,y\n" + Array.from({ length: 50 }, (_, i) => `${i / 7},${i % 2}`).join("\n") +
    "\n";
  const small = await fitCsvTable(bytes(text), {
    target: "y",
    cacheBytes: 1 << 20,
    fileBytes: text.length,
  });
  assert.ok(small.memory);
  // The same rows, said to come from a file of 1 GB: 8-byte numbers would not fit 1 MiB.
  const big = await fitCsvTable(bytes(text), { target: "y", cacheBytes: 1 << 20, fileBytes: 1e9 });
  assert.equal(big.memory, undefined);
});

Deno.test("a header with a blank name, or a header with no rows, is a clear error", async () => {
  await assert.rejects(fitCsvTable(bytes("a,,y\n1,2,3\n"), { target: "y" }), {
    message: "Invalid CSV header: column 2 has no name; name it (or remove the column)",
  });
  await assert.rejects(fitCsvTable(bytes("a,y\n"), { target: "y", cacheBytes: 1 << 20 }), {
    message: "Invalid data: the file has a header but no rows to train on",
  });
});

Deno.test("an image table (a label, then pixel bytes) is kept and scaled as the streamed file is", async () => {
  // Plain rows take the reader's fast lane; a leading zero, a quoted pixel, a CRLF line and a
  // pixel past a byte (after the sniffed rows: its column widens) take the general path.
  for (const widens of [false, true]) await imageTable(widens);
});

async function imageTable(widens: boolean): Promise<void> {
  const width = 40, lines = ["label," + Array.from({ length: width }, (_, i) => `p${i}`).join(",")];
  const pixel = (r: number, i: number) => (r * 31 + i * 17 + ((r * i) % 7)) % 256;
  for (let r = 0; r < 5000; r++) {
    const cells = Array.from({ length: width }, (_, i) => String(pixel(r, i)));
    if (r === 100) cells[3] = "007";
    if (r === 101) cells[4] = '"12"';
    if (r === 4321 && widens) cells[5] = "300";
    lines.push(`${r % 10},${cells.join(",")}${r === 102 ? "\r" : ""}`);
  }
  const text = lines.join("\n") + "\n", split = { fraction: 0.2, seed: 9 };
  const fit = await fitCsvTable(bytes(text), {
    target: "label",
    numericTarget: "classes",
    split,
    cacheBytes: 1 << 22,
    sniffRows: 200,
  });
  // Means and deviations of the training rows, computed directly.
  const value = (r: number, i: number) =>
    r === 100 && i === 3
      ? 7
      : r === 101 && i === 4
      ? 12
      : r === 4321 && i === 5 && widens
      ? 300
      : pixel(r, i);
  const train = Array.from({ length: 5000 }, (_, r) => r).filter((r) => !heldOut(r, split));
  fit.table.columns.forEach((column, i) => {
    assert.equal(column.type, "number");
    if (column.type !== "number") return;
    const xs = train.map((r) => value(r, i)), mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const deviation = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    assert.ok(Math.abs(column.center - mean) < 1e-12 * mean, column.name);
    assert.ok(Math.abs(column.scale - deviation) < 1e-12 * deviation, column.name);
  });
  const memory = fit.memory!(10)!;
  for (const part of ["train", "validation"] as const) {
    const streamed = await samples(csvTableSource(bytes(text), fit.table, { part, split }));
    const source = part === "train" ? memory.train : memory.validation!;
    assert.equal(source.size, streamed.length);
    const order = Uint32Array.from({ length: source.size }, (_, i) => (i * 7919) % source.size);
    const x = new Float32Array(source.size * width), t = new Float32Array(source.size * 10);
    source.encodeRows!(order, { x, t });
    const picked = Array.from(order, (r) => streamed[r]);
    sameFloats(x, Float32Array.from(picked.flatMap((s) => Array.from(s.x))), `${part} x`);
    sameFloats(t, Float32Array.from(picked.flatMap((s) => Array.from(s.y as Float32Array))), part);
  }
}

/** Equal bit for bit; else fails at the first difference (a diff of 200,000 floats takes ages). */
function sameFloats(got: Float32Array, want: Float32Array, what: string): void {
  assert.equal(got.length, want.length, what);
  const at = got.findIndex((v, i) => !Object.is(v, want[i]));
  assert.equal(at, -1, `${what}: ${got[at]} at ${at}, want ${want[at]}`);
}
