/**
 * The benchmark's one output shape: a titled table of rows plus notes, printed as aligned
 * text or carried as is in `npm run bench -- --json`.
 */

export type Cell = string | number;

export interface BenchTable {
  /** Stable id for JSON consumers: "fuzz", "fuzz-types", "taps", "links", "cpu", "bundles", "interpreter". */
  id: string;
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Lines printed under the table (units, assumptions, skips). */
  notes: string[];
}

/** `n` with `digits` decimals and thousands separators: 12345.678 → "12,345.7". */
export function num(n: number, digits?: number): string {
  const d = digits ?? 0;
  return n.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
}

/** Milliseconds as printed in the timing tables (two decimals: RF frames are tens of µs). */
export function ms(n: number): string {
  return num(n, 2);
}

/** A cell as text: numbers get thousands separators and at most 2 decimals. */
function cellText(c: Cell): string {
  if (typeof c === "string") return c;
  return Number.isInteger(c) ? num(c) : num(c, 2);
}

/** The table as aligned text: first column left-aligned, numeric columns right-aligned. */
export function formatTable(t: BenchTable): string {
  const text = t.rows.map((r) => r.map(cellText));
  const all = [t.columns].concat(text);
  const widths = t.columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const right = t.columns.map((_, i) => i > 0 && t.rows.length > 0 && t.rows.every((r) => typeof r[i] === "number" || /^[-\d.,]+( ?[%×])?$/.test(String(r[i]))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [t.title, line(t.columns), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const r of text) out.push(line(r));
  for (const n of t.notes) out.push("  " + n);
  return out.join("\n");
}
