import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('the repository stands alone', () => {
  it('reads nothing outside itself: no code, test, script or config names a sibling folder', () => {
    const files = ['src', 'test', 'scripts', 'bench', 'bin', '.ci'].flatMap((dir) => filesUnder(join(root, dir)));
    files.push(join(root, 'package.json'), join(root, 'vitest.config.ts'));
    const offenders = files
      .filter((file) => /\.(ts|mjs|js|json|sh)$|\/run$/.test(file) && !file.endsWith('project.test.ts'))
      .filter((file) => /\.\.\/shared\/|shared\/spec\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe("CI's closing line", () => {
  const summary = join(root, 'scripts/ci-summary.mjs');
  const report = (testResults: unknown[], counts: Record<string, number>) => ({
    numPassedTests: 0,
    numFailedTests: 0,
    numPendingTests: 0,
    numTodoTests: 0,
    ...counts,
    testResults,
  });

  function run(...reports: unknown[]): { line: string; status: number } {
    const dir = mkdtempSync(join(tmpdir(), 'ci-summary-'));
    const paths = reports.map((r, i) => {
      const path = join(dir, `${i}.json`);
      if (r !== undefined) writeFileSync(path, JSON.stringify(r));
      return path;
    });
    try {
      const out = execFileSync(process.execPath, [summary, ...paths], { stdio: ['ignore', 'pipe', 'ignore'] });
      return { line: out.toString().trim(), status: 0 };
    } catch (error) {
      const e = error as { stdout: Buffer; status: number };
      return { line: e.stdout.toString().trim(), status: e.status };
    }
  }

  it('adds up both databases and exits 0 when everything passed', () => {
    const ok = report([{ name: 'a', status: 'passed', assertionResults: [{ status: 'passed' }] }], { numPassedTests: 3, numPendingTests: 1 });
    expect(run(ok, ok)).toEqual({ line: '6 passed, 0 failed, 2 skipped', status: 0 });
  });

  it('counts a test file that failed to load as a failure, and exits non-zero', () => {
    const broken = report(
      [
        { name: 'loads', status: 'passed', assertionResults: [{ status: 'passed' }] },
        { name: 'broken', status: 'failed', message: 'Cannot find module', assertionResults: [] },
      ],
      { numPassedTests: 1 },
    );
    expect(run(broken)).toEqual({ line: '1 passed, 1 failed, 0 skipped', status: 1 });
  });

  it('does not count a file twice when its failing tests are already counted', () => {
    const failing = report([{ name: 'f', status: 'failed', assertionResults: [{ status: 'failed' }, { status: 'passed' }] }], {
      numPassedTests: 1,
      numFailedTests: 1,
    });
    expect(run(failing)).toEqual({ line: '1 passed, 1 failed, 0 skipped', status: 1 });
  });

  it('counts a missing report (the runner crashed) as a failure', () => {
    expect(run(undefined)).toEqual({ line: '0 passed, 1 failed, 0 skipped', status: 1 });
  });
});
