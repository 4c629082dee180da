import type { BuiltBundle } from '../lib/build.js';

/** How the report writes numbers and tables: one place, so every table reads alike. */
export const fmtNs = (ns: number) => (ns >= 10_000 ? `${(ns / 1000).toFixed(1)} µs` : `${(ns / 1000).toFixed(2)} µs`);
/** Token endpoint rows span µs (memory) to ms (table, miss). */
export const fmtLatency = (ns: number) => (ns >= 1_000_000 ? `${(ns / 1_000_000).toFixed(2)} ms` : fmtNs(ns));
export const signedNs = (ns: number) => `${ns < 0 ? '−' : '+'}${fmtNs(Math.abs(ns))}`;
export const fmtX = (x: number) => `${x.toFixed(x < 1 ? 3 : 2)}×`;
export const ms = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} ms`);
export const signedMs = (v: number) => `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(1)} ms`;
export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const exact = (bytes: number) => `${kb(bytes)} (${bytes} B)`;
export const sized = (bundle: BuiltBundle) => `${kb(bundle.bytes)}, gzip ${kb(bundle.gzipBytes)}`;
export const thousands = (n: number) => n.toLocaleString('en');
export const met = (ok: boolean) => (ok ? 'yes' : 'NO');

/** A Markdown table, its first row the header. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  // The separator row as Biome formats Markdown tables, so README passes `npm run lint` after a run.
  return [line(rows[0]!), `|${widths.map((w) => ` ${'-'.repeat(w)} `).join('|')}|`, ...rows.slice(1).map(line)].join(
    '\n',
  );
}
