// The --help text and the flag behind each run-config field.

/** The flag that sets each run-config field, for error messages. */
export const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  dataset: "--dataset",
  layers: "--layers",
  loss: "--loss",
  optimizer: "--optimizer",
  lr: "--lr",
  epochs: "--epochs",
  batchSize: "--batch-size",
  validationSplit: "--validation-split",
  seed: "--seed",
  l2: "--l2",
  warmupSteps: "--warmup-steps",
  backend: "--backend",
  workers: "--workers",
  out: "--out",
  columns: "--categorical or --ignore",
  missing: "--missing",
  standardize: "--no-standardize",
};

/** What `deno task train --help` prints. */
export const HELP = `Train a neural network. With no flags: MNIST, 784-128-64-10, Adam, 10 epochs.

Usage: deno task train [flags]

Data
  --dataset <name>          mnist | iris | xor | sine (built in, no download)
  --data <file>             a .csv (or .tsv) file with a header row, or an .ndjson file
  --target <column>         the column to predict (required with a .csv file): names or
                            true/false make a classifier, numbers a regression
  --categorical <a,b>       CSV: read these columns as categories (others are inferred)
  --ignore <a,b>            CSV: leave these columns out
  --missing <how>           CSV: impute (default: the mean, or a category of its own) | error
  --no-standardize          CSV: feed numbers and the target unscaled
  --delimiter <c>           CSV: the field separator (default "," and tab for .tsv)
Model and training (for a CSV file, all optional: chosen from the target and printed)
  --layers <spec>           e.g. 128:relu,64:relu,10:softmax (units:activation[:init])
  --loss <name>             e.g. crossEntropy, binaryCrossEntropy, mse
  --optimizer <name>        e.g. adam, sgd, momentum, rmsprop
  --lr <number>             learning rate
  --epochs <n>              passes over the training data
  --batch-size <n>          samples per gradient step
  --validation-split <f>    fraction of training samples held out, in [0, 1)
  --seed <n>                seed for weights, shuffling and splits (default 42)
  --l2 <number>             L2 weight decay
  --warmup-steps <n>        raise the learning rate linearly over the first n steps
Speed
  --backend <name>          auto | wasm | ts: matrix kernels (default auto: wasm SIMD where available)
  --workers <n>             threads per step (default: one per core when the job is big enough)
  --max-run-mib <n>         refuse, before loading data, a run estimated to need more memory
                            (default 2048: the default job needs about 40, and two runs at
                            that limit fit a machine with 8 GB)
Files
  --config <file.json>      a run config (the same JSON the server takes); flags override it
  --out <model.json>        where to write the trained model (default model.json)
  --plugin <module>         a module exporting plugins to register (repeatable)
Runs (recorded with their curves and a checkpoint every epoch; deno task serve lists them)
  --state-dir <dir>         where runs are recorded (default .nagare)
  --resume [run]            continue an interrupted run (Ctrl-C, kill, crash) from its last
                            checkpoint, to the same weights; default: the newest one
  --no-record               do not record this run (it cannot be resumed)
Dashboard
  --serve                   serve the live dashboard for this run (http://127.0.0.1:8000/);
                            it stays up after training until Ctrl-C or SIGTERM; its Stop
                            button ends training where it is: the model of the weights it
                            reached is written (no test scores), exit 0
  --host <address>          with --serve: address to bind (default 127.0.0.1)
  --port <n>                with --serve: port (default 8000; 0 picks a free one)
  --token <secret>          with --serve: bearer token, required off loopback (or NAGARE_TOKEN)
Output
  --json                    one JSON event per line on stdout; logs on stderr
  --quiet, -q               no progress bar and no per-epoch lines
  --help, -h                this text

Config file only (no flag; every field and its default: README.md, "Run config file")
  schedule                  learning-rate schedule, e.g. {"name": "cosineDecay", "minLr": 0.0001}
  earlyStopping             stop when the loss stalls, e.g. {"patience": 5} (keeps the best weights)
  columns (CSV column types)  e.g. {"zip": "category", "id": "ignore"}; also number, boolean
  loss, optimizer params    e.g. "optimizer": {"name": "adam", "params": {"beta1": 0.8}}

Exit codes: 0 done, 2 bad flags, config or data (training that diverged too: lower --lr),
1 an internal failure, 130 interrupted (Ctrl-C), 143 interrupted by SIGTERM (both write no
model: the run goes on with --resume).`;
