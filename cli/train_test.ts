import assert from "node:assert/strict";
import { fromModelFile } from "../core/model/model_file.ts";
import { createRegistry } from "../core/checks/registry.ts";
import { fingerprint, modelFingerprintHooks } from "../core/checks/fingerprint.ts";
import { builtinPlugins, sigmoid } from "../plugins/mod.ts";

const SCRIPT = new URL("./train.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

function command(args: string[], cwd: string): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", "--config", CONFIG, SCRIPT, ...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  });
}

async function cli(args: string[], cwd: string) {
  const { code, stdout, stderr } = await command(args, cwd).output();
  return { code, stdout: decode(stdout), stderr: decode(stderr) };
}

const listDir = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();

Deno.test("--json prints only JSON events on stdout and writes the model", async () => {
  const dir = await Deno.makeTempDir();
  const r = await cli(["--dataset", "xor", "--epochs", "20", "--json", "--out", "xor.json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  const events = lines.map((line) => JSON.parse(line));
  assert.deepEqual(events.map((e) => e.type), [
    "start",
    ...Array(20).fill("epoch"),
    "end",
    "test",
    "saved",
  ]);
  const epoch = events[1];
  for (const key of ["epoch", "epochs", "loss", "accuracy", "lr", "samplesPerSec", "elapsedMs"]) {
    assert.equal(typeof epoch[key], "number", key);
  }
  assert.deepEqual(Object.keys(events.at(-2)).sort(), ["accuracy", "loss", "samples", "type"]);
  assert.equal(events.at(-1).path, "xor.json");
  assert.match(r.stderr, /^xor: 4 train, 4 test samples/); // people's lines go to stderr
  // No temporary file left behind; the run is recorded in .nagare.
  assert.deepEqual(listDir(dir), [".nagare", "xor.json"]);
  const text = await Deno.readTextFile(`${dir}/xor.json`);
  const file = JSON.parse(text);
  assert.equal(file.training.seed, 42);
  assert.equal(file.training.config.dataset, "xor");
  assert.equal(file.training.metrics.epoch, 20);
  assert.equal(file.training.metrics.test.samples, 4);
  assert.deepEqual(file.plugins.map((p: { kind: string }) => p.kind), [
    "activation",
    "activation",
    "loss",
    "optimizer",
  ]);
  const network = fromModelFile(text, { registry: createRegistry(builtinPlugins()) });
  assert.deepEqual(network.layers.map((l) => l.units), [8, 1]);
});

Deno.test("a trained model stores each activation's fingerprint, and a changed plugin is refused", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const core = new URL("../core/math/elementwise.ts", import.meta.url).href;
    const plugin = (k: number) =>
      `import { elementwise } from "${core}";\n` +
      `export default elementwise({ name: "test/soft", version: "1.0.0", ` +
      `f: (x) => ${k} * x / (1 + Math.abs(x)), df: (x) => ${k} / (1 + Math.abs(x)) ** 2 });\n`;
    await Deno.writeTextFile(`${dir}/soft.ts`, plugin(1));
    const args = ["--dataset", "xor", "--layers", "4:test/soft,1:sigmoid", "--epochs", "2"];
    const r = await cli([...args, "--plugin", "./soft.ts", "--quiet"], dir);
    assert.equal(r.code, 0, r.stderr);
    const text = await Deno.readTextFile(`${dir}/model.json`);
    const activations = JSON.parse(text).plugins.filter((p: { kind: string }) =>
      p.kind === "activation"
    );
    assert.deepEqual(activations.map((p: { name: string }) => p.name), ["test/soft", "sigmoid"]);
    const soft = (await import(`file://${dir}/soft.ts`)).default;
    for (const [entry, activation] of [[activations[0], soft], [activations[1], sigmoid]]) {
      assert.equal(entry.fingerprint, fingerprint(activation));
    }
    // The same name and version with other math: loading with verify refuses the model.
    await Deno.writeTextFile(`${dir}/soft2.ts`, plugin(2));
    const changed = (await import(`file://${dir}/soft2.ts`)).default;
    const registry = createRegistry([...builtinPlugins(), changed]);
    assert.throws(
      () => fromModelFile(text, { registry, verify: modelFingerprintHooks().verify }),
      /Plugin fingerprint mismatch: .*"test\/soft"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("text output: a summary, one line per epoch, the test result and the file", async () => {
  const dir = await Deno.makeTempDir();
  const r = await cli(["--dataset", "xor", "--epochs", "3"], dir);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 2 + 3 + 2);
  assert.match(
    lines[2],
    /^epoch 1\/3 {2}loss \d\.\d{4} {2}val_loss - {2}acc \d+\.\d\d% .* samples\/s {2}\d+\.\ds$/,
  );
  assert.match(lines[5], /^test accuracy \d+\.\d\d%, test loss/);
  assert.match(lines[6], /^wrote model\.json \(\d+\.\ds in all\)$/);
});

Deno.test("bad input exits 2 with one line naming the flag and the fix", async () => {
  const dir = await Deno.makeTempDir();
  const cases: [string[], RegExp][] = [
    [["--epochs", "0"], /^error: --epochs: must be at least 1\n$/],
    [["--lr", "-1"], /^error: --lr: must be a positive number\n$/],
    [["--epochs", "-3"], /^error: --epochs: must be at least 1\n$/],
    [
      ["--dataset", "xor", "--loss", "hinge"],
      /^error: Unknown loss "hinge": known loss.* mse, .*\n$/,
    ],
    [
      ["--dataset", "xor", "--loss", "mse", "--layers", "8:relu,3:identity"],
      /^error: Invalid layers: .* 1 units\n$/,
    ],
    [
      ["--data", "missing.csv", "--target", "y", "--layers", "1", "--loss", "mse"],
      /^error: --data missing\.csv: file not found; check the path\n$/,
    ],
    [["--wat"], /^error: Unknown option '--wat'.*see --help\n$/],
  ];
  for (const [args, message] of cases) {
    const r = await cli(args, dir);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.stderr, message);
    assert.equal(r.stdout, "");
  }
  assert.deepEqual(listDir(dir), []);
});

Deno.test("bad files, bad data and divergence exit 2 with one error: line, even mid-run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const row = (i: number, label: number | string = i % 3) => `${i % 5},${(i * 7) % 3},${label}`;
    const rows = (last: string) => [...Array.from({ length: 29 }, (_, i) => row(i)), last];
    // A text after the rows that typed column b as numbers (the first 1,000).
    const many = Array.from({ length: 1_500 }, (_, i) => row(i));
    await Deno.writeTextFile(`${dir}/cell.csv`, `a,b,label\n${[...many, "1,x,2"].join("\n")}\n`);
    await Deno.writeTextFile(`${dir}/label.csv`, `a,b,label\n${rows(row(29, 7)).join("\n")}\n`);
    await Deno.writeTextFile(`${dir}/broken.json`, '{"epochs": 3,');
    await Deno.writeTextFile(`${dir}/data.json`, '{"dataset": {"csv": "no.csv", "target": "y"}}');
    await Deno.mkdir(`${dir}/folder.csv`);
    await Deno.mkdir(`${dir}/runs`);
    const csv = (
      file: string,
    ) => ["--data", file, "--target", "label", "--layers", "4:relu,3:softmax"];
    const cases: [string[], RegExp][] = [
      [["--config", "none.json"], /^error: --config none\.json: file not found; check the path$/],
      [["--config", "broken.json"], /^error: --config broken\.json: not valid JSON \(/],
      [["--config", "runs"], /^error: --config runs: is a folder; give the path of a \.json/],
      [
        ["--config", "data.json", "--layers", "1", "--loss", "mse"],
        /^error: --config data\.json: dataset no\.csv: file not found; check the path$/,
      ],
      [csv("folder.csv"), /^error: --data folder\.csv: is a folder; give the path of a \.csv/],
      [
        [...csv("folder.csv"), "--validation-split", "0"],
        /^error: --data folder\.csv: is a folder/,
      ],
      [
        csv("cell.csv"),
        /^error: Invalid data: line 1502, column "b": "x" is not a number, but the first 1000 rows were; fix the cell, or declare the column a category \(--categorical b, or "columns": \{ "b": "category" \}\)$/,
      ],
      [
        [...csv("label.csv"), "--validation-split", "0", "--batch-size", "30"],
        /^error: Invalid layers: the last layer has 3 units but the target "label" is 4 classes \(0, 1, 2, 7\); end the layers with 4 units$/,
      ],
      [["--plugin", "nope.ts"], /^error: Plugin module not found: nope\.ts/],
      [
        ["--dataset", "sine", "--optimizer", "sgd", "--lr", "1e6"],
        /^error: Training diverged: the loss is NaN .*lower the learning rate/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args, "--epochs", "1", "--quiet"], dir);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr.trimEnd(), message, args.join(" "));
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
    }
    assert.ok(!listDir(dir).includes("model.json"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--help prints the flags and exits 0", async () => {
  const r = await cli(["--help"], await Deno.makeTempDir());
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--batch-size <n>/);
});

Deno.test("--data trains from a CSV file: numeric labels as classes, features standardized by the table", async () => {
  const dir = await Deno.makeTempDir();
  const rows = Array.from(
    { length: 60 },
    (_, i) => `${i % 3 + Math.sin(i) / 5},${100 * (i % 3)},${i % 3}`,
  );
  await Deno.writeTextFile(`${dir}/d.csv`, `a,b,label\n${rows.join("\n")}\n`);
  const args = [
    "--data",
    "d.csv",
    "--target",
    "label",
    "--layers",
    "8:relu,3:softmax",
    "--epochs",
    "30",
    "--lr",
    "0.05",
    "--json",
  ];
  const r = await cli(args, dir);
  assert.equal(r.code, 0, r.stderr);
  const events = r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  const start = events.find((e) => e.type === "start"),
    last = events.findLast((e) => e.type === "epoch");
  assert.deepEqual(events[0].classes, ["0", "1", "2"]); // the table comes first
  const file = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
  const held = 60 - start.samples; // a seeded hash of the row number holds about a tenth out
  assert.ok(held > 0 && held < 20, `${held} held out`);
  assert.ok(last.valAccuracy > 0.8, `val accuracy ${last.valAccuracy}`);
  assert.deepEqual(file.table.target.classes, ["0", "1", "2"]);
  assert.deepEqual(
    file.table.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`),
    ["a:number", "b:number"],
  );
});

/** Trains xor for very long in a folder holding an old model.json, and sends `signal` after the first epoch. */
async function interruptTraining(signal: Deno.Signal) {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/model.json`, "old");
  const child = command(["--dataset", "xor", "--epochs", "1000000", "--json"], dir).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes('"type":"epoch"')) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  child.kill(signal);
  while (!(await reader.read()).done);
  const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  return { code: status.code, stderr, dir };
}

Deno.test("Ctrl-C stops training, exits 130 and leaves the old model untouched", async () => {
  const { code, stderr, dir } = await interruptTraining("SIGINT");
  assert.equal(code, 130);
  assert.match(
    stderr,
    /interrupted in epoch \d+ of 1000000: model\.json not written; continue it with deno task train --resume [0-9a-f-]{36}/,
  );
  assert.equal(await Deno.readTextFile(`${dir}/model.json`), "old");
  assert.deepEqual(listDir(dir), [".nagare", "model.json"]);
});

Deno.test("SIGTERM stops training like Ctrl-C, with its own message and exit 143", async () => {
  const { code, stderr, dir } = await interruptTraining("SIGTERM");
  assert.equal(code, 143, stderr);
  assert.match(stderr, /interrupted by SIGTERM in epoch \d+ of 1000000: model\.json not written/);
  assert.equal(await Deno.readTextFile(`${dir}/model.json`), "old");
  assert.deepEqual(listDir(dir).filter((name) => name.startsWith("model")), ["model.json"]);
});

Deno.test("--plugin registers the plugins a module exports", async () => {
  const dir = await Deno.makeTempDir();
  const core = new URL("../core/math/elementwise.ts", import.meta.url).href;
  await Deno.writeTextFile(
    `${dir}/softsign.ts`,
    `import { elementwise } from "${core}";
export const softsign = elementwise({
  name: "test/softsign",
  f: (x) => x / (1 + Math.abs(x)),
  df: (x) => 1 / (1 + Math.abs(x)) ** 2,
});
`,
  );
  const args = ["--dataset", "xor", "--layers", "8:test/softsign,1:sigmoid", "--epochs", "5"];
  const without = await cli([...args, "--json"], dir);
  assert.equal(without.code, 2);
  assert.match(without.stderr, /Unknown activation "test\/softsign"/);
  const r = await cli([...args, "--plugin", "./softsign.ts", "--json"], dir);
  assert.equal(r.code, 0, r.stderr);
  const file = JSON.parse(await Deno.readTextFile(`${dir}/model.json`));
  assert.equal(file.spec.layers[0].activation, "test/softsign");
});

Deno.test("an --out that cannot be written is refused before training", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const missing = await cli(["--dataset", "xor", "--out", "no/such/dir/m.json"], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--out no\/such\/dir\/m.json: the folder .* does not exist/);
    assert.doesNotMatch(missing.stderr, /epoch/);
    await Deno.mkdir(`${dir}/models`);
    const folder = await cli(["--dataset", "xor", "--out", "models"], dir);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /--out models: is a folder/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a run over --max-run-mib or naming a column the csv lacks exits 2 before loading data", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/points.csv`, "x,city,y\n1,a,0\n2,b,1\n");
    const cases: [string[], RegExp][] = [
      [
        ["--dataset", "mnist", "--layers", "4096:relu,4096:relu,10:softmax", "--max-run-mib", "64"],
        /^error: --layers: needs about [\d,]+ MiB \(weights 153, gradients 153, optimizer 153, .*model [\d,]+\) but --max-run-mib allows 64 MiB: use fewer or smaller layers or a smaller batch, or raise --max-run-mib$/,
      ],
      [
        ["--dataset", "sine", "--batch-size", "65536", "--max-run-mib", "16"],
        /^error: --batch-size: needs about [\d,]+ MiB .* but --max-run-mib allows 16 MiB/,
      ],
      [
        ["--data", "points.csv", "--target", "price"],
        /^error: --target: Unknown target column "price": the header has x, city, y$/,
      ],
      [
        ["--data", "points.csv", "--target", "y", "--ignore", "town"],
        /^error: --categorical or --ignore: Unknown column "town" in the column types: the header has x, city, y$/,
      ],
      [
        ["--dataset", "xor", "--config", "opt.json"],
        /^error: Invalid momentum momentum: 1 is not in \[0, 1\)$/,
      ],
    ];
    await Deno.writeTextFile(
      `${dir}/opt.json`,
      JSON.stringify({ optimizer: { name: "momentum", params: { momentum: 1 } } }),
    );
    for (const [args, message] of cases) {
      const r = await cli([...args, "--epochs", "1", "--quiet"], dir);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.match(r.stderr.trimEnd(), message, args.join(" "));
      assert.equal(r.stdout, "");
    }
    assert.ok(!listDir(dir).includes("model.json"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
