// Sums vitest's JSON reports into CI's closing line. A test file that failed without a failing
// test (it did not load, or a hook threw) counts as one failure; a missing report (the runner
// itself crashed) counts as one failure too. Exits non-zero when anything failed.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`no test report at ${file}: the run did not finish`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  for (const suite of report.testResults) {
    const failedTests = suite.assertionResults.filter((test) => test.status === 'failed').length;
    if (suite.status === 'failed' && failedTests === 0) {
      console.error(`test file failed to run: ${suite.name}\n  ${(suite.message ?? '').split('\n')[0]}`);
      failed += 1;
    }
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
