/**
 * npm run test:mutation (after `stryker run`) [-- report.json]
 * Stryker's break threshold covers the whole run; this holds every mutated file to MINIMUM_SCORE on its own.
 * The score of a file is its detected mutants (killed or timed out) over its valid ones (detected, survived or
 * not covered). Mutants that a `// Stryker disable` comment marks as equivalent are Ignored and count for nothing;
 * compile and runtime errors are not mutants a test could kill. Prints a table, exits 1 when a file is below.
 */
import { readFileSync } from 'node:fs';

export const MINIMUM_SCORE = 90;
const DEFAULT_REPORT = 'test-artifacts/mutation/mutation.json';

/** The part of Stryker's mutation-testing-report-schema (JSON reporter) that the per-file check reads. */
export interface MutationReport {
  readonly files: Readonly<Record<string, { readonly mutants: readonly { readonly status: string }[] }>>;
}

export interface FileScore {
  readonly file: string;
  readonly killed: number;
  readonly timeout: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** Marked equivalent in the source with a Stryker disable comment. */
  readonly equivalent: number;
  /** Undefined when the file has no valid mutant. */
  readonly score: number | undefined;
}

export function fileScores(report: MutationReport): FileScore[] {
  return Object.entries(report.files)
    .map(([file, { mutants }]) => {
      const count = (status: string) => mutants.filter((mutant) => mutant.status === status).length;
      const [killed, timeout, survived, noCoverage] = ['Killed', 'Timeout', 'Survived', 'NoCoverage'].map(count) as [
        number,
        number,
        number,
        number,
      ];
      const valid = killed + timeout + survived + noCoverage;
      const score = valid === 0 ? undefined : (100 * (killed + timeout)) / valid;
      return { file, killed, timeout, survived, noCoverage, equivalent: count('Ignored'), score };
    })
    .sort((a, b) => a.file.localeCompare(b.file));
}

export function belowMinimum(scores: readonly FileScore[]): FileScore[] {
  return scores.filter((score) => score.score !== undefined && score.score < MINIMUM_SCORE);
}

export function formatTable(scores: readonly FileScore[]): string {
  const header = ['file', 'score %', 'killed', 'timeout', 'survived', 'no cov', 'equivalent'];
  const rows = scores.map((s) => [
    s.file,
    s.score === undefined ? 'n/a' : s.score.toFixed(1),
    ...[s.killed, s.timeout, s.survived, s.noCoverage, s.equivalent].map(String),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[0]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function main(argv: string[]): number {
  const path = argv[0] ?? DEFAULT_REPORT;
  const scores = fileScores(JSON.parse(readFileSync(path, 'utf8')) as MutationReport);
  console.log(formatTable(scores));
  const failing = belowMinimum(scores);
  for (const score of failing)
    console.log(`mutation: ${score.file} kills ${score.score!.toFixed(1)}% of its mutants, below ${MINIMUM_SCORE}%`);
  if (failing.length === 0) console.log(`mutation: every file kills at least ${MINIMUM_SCORE}% of its mutants`);
  return failing.length === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
