import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { belowMinimum, fileScores, formatTable, type MutationReport } from '../../../scripts/mutation-report.js';

const mutants = (statuses: Record<string, number>) =>
  Object.entries(statuses).flatMap(([status, count]) => Array.from({ length: count }, () => ({ status })));

describe('the per-file mutation check', () => {
  it('scores a file by its detected mutants over its valid ones, leaving out equivalent and erroring mutants', () => {
    // Prepare
    const report: MutationReport = {
      files: {
        'shared/a.ts': {
          mutants: mutants({ Killed: 7, Timeout: 2, Survived: 1, NoCoverage: 0, Ignored: 3, CompileError: 4 }),
        },
      },
    };
    // Act
    const [score] = fileScores(report);
    // Assess
    expect(score).toEqual({
      file: 'shared/a.ts',
      killed: 7,
      timeout: 2,
      survived: 1,
      noCoverage: 0,
      equivalent: 3,
      score: 90,
    });
  });

  it('counts an uncovered mutant against the file', () => {
    const [score] = fileScores({ files: { 'a.ts': { mutants: mutants({ Killed: 8, NoCoverage: 2 }) } } });
    expect(score!.score).toBe(80);
  });

  it('fails a file just below 90% and passes one at 90% or without valid mutants', () => {
    // Prepare
    const scores = fileScores({
      files: {
        'low.ts': { mutants: mutants({ Killed: 89, Survived: 11 }) },
        'exact.ts': { mutants: mutants({ Killed: 9, Survived: 1 }) },
        'types-only.ts': { mutants: mutants({ Ignored: 2 }) },
      },
    });
    // Act
    const failing = belowMinimum(scores);
    // Assess
    expect(failing.map((score) => score.file)).toEqual(['low.ts']);
  });

  it('prints one row per file, sorted by path, with the score to one decimal', () => {
    const table = formatTable(
      fileScores({
        files: {
          'shared/z.ts': { mutants: mutants({ Killed: 2, Survived: 1 }) },
          'shared/a.ts': { mutants: mutants({ Ignored: 1 }) },
        },
      }),
    );
    expect(table.split('\n').map((line) => line.split(/\s{2,}/))).toEqual([
      ['file', 'score %', 'killed', 'timeout', 'survived', 'no cov', 'equivalent'],
      ['shared/a.ts', 'n/a', '0', '0', '0', '0', '1'],
      ['shared/z.ts', '66.7', '2', '0', '1', '0', '0'],
    ]);
  });

  it('exits 1 and names the file below 90% when run on a Stryker report', () => {
    // Prepare
    const reportPath = join(mkdtempSync(join(tmpdir(), 'mutation-report-')), 'mutation.json');
    const report: MutationReport = {
      files: {
        'shared/rules/weak.ts': { mutants: mutants({ Killed: 3, Survived: 1 }) },
        'shared/rules/strong.ts': { mutants: mutants({ Killed: 4 }) },
      },
    };
    writeFileSync(reportPath, JSON.stringify(report));
    // Act
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../../../scripts/mutation-report.ts', import.meta.url)), reportPath],
      { encoding: 'utf8' },
    );
    // Assess
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('mutation: shared/rules/weak.ts kills 75.0% of its mutants, below 90%');
    expect(result.stdout).not.toContain('strong.ts kills');
  });
});
