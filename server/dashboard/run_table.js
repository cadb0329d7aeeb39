// The runs table: one row per run with its settings and results, sortable
// by any column (click its header), filtered by a text box, a box to tick
// to overlay the run, and a pencil to rename it.
import { RUN_COLORS } from "./charts.js";
import { duration, el, fmt } from "./run_cards.js";
import { morph, place } from "./morph.js";

const pct = (v) => (typeof v === "number" ? `${fmt(v * 100, 3)}%` : "–");
const num = (v) => (typeof v === "number" ? String(Number(v.toPrecision(3))) : v ?? "–");

/** The columns: key, header, and the text of a row's cell (rows sort by the raw value). */
export const COLUMNS = [
  { key: "name", header: "run", text: (r) => r.name },
  { key: "status", header: "status", text: (r) => r.status },
  { key: "dataset", header: "data set", text: (r) => r.dataset },
  { key: "layers", header: "layers", text: (r) => r.layers },
  { key: "loss", header: "loss", text: (r) => r.loss ?? "–" },
  { key: "optimizer", header: "optimizer", text: (r) => r.optimizer ?? "–" },
  { key: "lr", header: "lr", text: (r) => num(r.lr) },
  { key: "batchSize", header: "batch", text: (r) => num(r.batchSize) },
  { key: "bestVal", header: "best val", text: (r) => r.bestValText ?? "–" },
  { key: "testAccuracy", header: "test acc", text: (r) => pct(r.testAccuracy) },
  { key: "samplesPerSec", header: "samples/s", text: (r) => num(r.samplesPerSec) },
  { key: "durationMs", header: "duration", text: (r) => duration(r.durationMs) },
];

/** Rows sorted by column `key`, `dir` 1 or -1; missing values last. */
export function sortRows(rows, { key, dir }) {
  const value = (r) => (key === "name" ? r.letterIndex : r[key]);
  return [...rows].sort((a, b) => {
    const x = value(a), y = value(b);
    if (x === undefined || x === null) return y === undefined || y === null ? 0 : 1;
    if (y === undefined || y === null) return -1;
    return (typeof x === "number" && typeof y === "number"
      ? x - y
      : String(x).localeCompare(String(y))) * dir;
  });
}

/** Rows whose cells contain every word of `filter` (case-insensitive). */
export function filterRows(rows, filter) {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((r) => {
    const text = COLUMNS.map((c) => c.text(r)).join(" ").toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/**
 * Sets up the table in `root` (a filter box and a table) and returns
 * `render(rows)`. `view` = { sort: { key, dir } } is kept across renders;
 * `onToggle(id)` and `onRename(id, name)` report what the user did.
 */
export function runTable(root, { onToggle, onRename }) {
  const view = { sort: { key: "name", dir: -1 }, filter: "", editing: false, rows: [] };
  const filter = el("input", {
    type: "search",
    className: "run-filter",
    placeholder: "Filter runs, e.g. iris relu done",
    oninput: () => {
      view.filter = filter.value;
      render(view.rows);
    },
  });
  const head = el("tr");
  const body = el("tbody");
  const count = el("span", { className: "muted run-count" });
  root.replaceChildren(
    el("div", { className: "run-tools" }, filter, count),
    el(
      "div",
      { className: "table-wrap" },
      el("table", { className: "run-table" }, el("thead", {}, head), body),
    ),
  );

  let headKey = "";
  const renderHead = () => {
    const key = JSON.stringify(view.sort);
    if (key === headKey) return; // the same header: keep its buttons (a click may be under way)
    headKey = key;
    head.replaceChildren(
      el("th", { title: "tick to overlay" }, "✓"),
      ...COLUMNS.map((c) => {
        const sorted = view.sort.key === c.key;
        const th = el(
          "th",
          {
            className: sorted ? "sorted" : "",
            ariaSort: sorted ? (view.sort.dir > 0 ? "ascending" : "descending") : "none",
          },
          el("button", {
            textContent: `${c.header}${sorted ? (view.sort.dir > 0 ? " ▲" : " ▼") : ""}`,
            onclick: () => {
              view.sort = { key: c.key, dir: sorted ? -view.sort.dir : 1 };
              render(view.rows);
            },
          }),
        );
        th.dataset.key = c.key;
        return th;
      }),
    );
  };

  const nameCell = (row) => {
    const swatch = el("span", {
      className: "swatch",
      style: row.color === undefined ? "" : `--run: ${RUN_COLORS[row.color]}`,
      textContent: row.letter,
    });
    const pencil = el("button", {
      className: "rename",
      textContent: "✎",
      title: "rename (kept in this browser)",
      onclick: (event) => {
        // The cell in the page: rows keep their cells, which take this handler from a new one.
        const cell = event.currentTarget.closest("td");
        view.editing = true;
        const input = el("input", { className: "rename-input", value: row.userName });
        const done = (save) => {
          if (!view.editing) return;
          view.editing = false;
          const entry = rowElements.get(row.id);
          if (entry) entry.key = ""; // the name cell holds the box: build it again
          if (save) onRename(row.id, input.value);
          render(view.rows);
        };
        input.addEventListener("keydown", (e) => {
          if (e.key === "Enter") done(true);
          if (e.key === "Escape") done(false);
        });
        input.addEventListener("blur", () => done(true));
        cell.replaceChildren(cell.querySelector(".swatch"), input);
        input.focus();
      },
    });
    return el(
      "td",
      { className: "name" },
      swatch,
      el("span", { className: "run-name", textContent: row.name, title: row.title }),
      pencil,
    );
  };

  // A row's element and its checkbox live as long as the run: rebuilding them on every redraw
  // (several a second while a run trains) lost clicks whose press and release straddled one.
  const rowElements = new Map();
  const cellsOf = (row) => [
    nameCell(row),
    ...COLUMNS.slice(1).map((c) =>
      c.key === "status"
        ? el(
          "td",
          {},
          row.live ? el("span", { className: "badge live", textContent: "live" }) : undefined,
          el("span", { className: `badge ${row.status}`, textContent: row.status }),
        )
        : el("td", { className: `c-${c.key}`, textContent: c.text(row), title: c.text(row) })
    ),
  ];
  const rowOf = (row) => {
    let entry = rowElements.get(row.id);
    if (!entry) {
      const box = el("input", { type: "checkbox", onchange: () => onToggle(row.id) });
      const boxCell = el("td", {}, box);
      const tr = el("tr", {}, boxCell);
      tr.dataset.run = row.id;
      entry = { tr, box, boxCell, key: "" };
      rowElements.set(row.id, entry);
    }
    const { tr, box, boxCell } = entry;
    tr.className = row.selected ? "plotted" : "";
    tr.style.cssText = row.color === undefined ? "" : `--run: ${RUN_COLORS[row.color]}`;
    box.checked = row.selected;
    box.ariaLabel = `overlay ${row.name}`;
    const key = JSON.stringify(row);
    if (key !== entry.key) {
      entry.key = key;
      // The cells shown take the new ones' text and handlers in place, so a button the user
      // has focused (a rename pencil) keeps the focus while the run trains.
      const cells = [...tr.children].slice(1);
      const fresh = cellsOf(row).map((cell, i) => (cells[i] ? morph(cells[i], cell) : cell));
      place(tr, [boxCell, ...fresh]);
    }
    return tr;
  };

  function render(rows) {
    view.rows = rows;
    if (view.editing) return; // keep the rename box while the user types
    renderHead();
    // Rows that keep their order are not moved: a checkbox the user has focused keeps the focus
    // when another run comes, goes or changes places (one whose own row moves still loses it).
    place(body, sortRows(filterRows(rows, view.filter), view.sort).map(rowOf));
    const ids = new Set(rows.map((r) => r.id));
    for (const id of rowElements.keys()) if (!ids.has(id)) rowElements.delete(id);
    count.textContent = `${body.children.length} of ${rows.length} runs · ${
      rows.filter((r) => r.selected).length
    } overlaid`;
  }
  return render;
}
