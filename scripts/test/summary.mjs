// Turns the Vitest and Playwright JSON reports into pass/fail/skip counts for the one summary line
// `npm test` ends with. Pure functions: reports in, counts out (run.mjs does the I/O).
//
// Rules:
// - a test that passed after retries counts as passed; skipped/todo/fixme count as skipped;
// - a file or run that failed without a failing test (import error, crashed hook, webServer that
//   never came up, unhandled error) counts as at least one failure;
// - a missing/unreadable report, or a non-zero exit the report does not explain, counts as one failure.

/** @typedef {{ passed: number, failed: number, skipped: number, notes: string[] }} Counts */

function empty() {
  return { passed: 0, failed: 0, skipped: 0, notes: [] };
}

const firstLine = (s) =>
  String(s ?? '')
    .split('\n')
    .find((l) => l.trim() !== '') ?? '';
const stripAnsi = (s) => String(s ?? '').replace(/\u001b\[[0-9;]*m/g, '');

function explainExit(counts, tool, exitCode) {
  if (exitCode !== 0 && exitCode !== null && exitCode !== undefined && counts.failed === 0) {
    counts.failed += 1;
    counts.notes.push(
      `${tool} exited with code ${exitCode} but its report shows no failing test (crash or unhandled error?)`,
    );
  }
  return counts;
}

/**
 * @param {any} report parsed `--reporter=json` output of `vitest run`, or null if missing/unreadable
 * @param {{ exitCode: number | null }} run
 * @returns {Counts}
 */
export function summarizeVitest(report, { exitCode }) {
  const c = empty();
  if (!report || !Array.isArray(report.testResults)) {
    c.failed += 1;
    c.notes.push('vitest wrote no readable JSON report');
    return c;
  }
  for (const file of report.testResults) {
    let failedHere = 0;
    for (const t of file.assertionResults ?? []) {
      if (t.status === 'passed') c.passed += 1;
      else if (t.status === 'failed') {
        c.failed += 1;
        failedHere += 1;
      } else c.skipped += 1; // skipped, pending, todo, disabled
    }
    if (file.status === 'failed' && failedHere === 0) {
      c.failed += 1;
      c.notes.push(
        `vitest: ${file.name} failed outside any test: ${stripAnsi(firstLine(file.message)) || 'no message'}`,
      );
    }
  }
  if (report.success === false && c.failed === 0) {
    c.failed += 1;
    c.notes.push('vitest reported the run as unsuccessful without a failing test');
  }
  return explainExit(c, 'vitest', exitCode);
}

function* playwrightTests(suite) {
  for (const spec of suite.specs ?? []) yield* spec.tests ?? [];
  for (const child of suite.suites ?? []) yield* playwrightTests(child);
}

/**
 * @param {any} report parsed `--reporter=json` output of `playwright test`, or null if missing/unreadable
 * @param {{ exitCode: number | null }} run
 * @returns {Counts}
 */
export function summarizePlaywright(report, { exitCode }) {
  const c = empty();
  if (!report || typeof report !== 'object' || (!Array.isArray(report.suites) && !report.stats)) {
    c.failed += 1;
    c.notes.push('playwright wrote no readable JSON report');
    return c;
  }
  for (const suite of report.suites ?? []) {
    for (const t of playwrightTests(suite)) {
      // 'expected' includes tests marked test.fail() that failed as expected; 'flaky' passed on retry.
      if (t.status === 'expected' || t.status === 'flaky') c.passed += 1;
      else if (t.status === 'skipped') c.skipped += 1;
      else c.failed += 1; // 'unexpected' and anything new
    }
  }
  // Errors outside tests: a spec that failed to load, globalSetup, the webServer not starting.
  for (const e of report.errors ?? []) {
    c.failed += 1;
    c.notes.push(`playwright: ${stripAnsi(firstLine(e.message ?? e.stack)) || 'error outside tests'}`);
  }
  return explainExit(c, 'playwright', exitCode);
}

/** @param {Array<Partial<Counts>>} parts */
export function combineCounts(parts) {
  const total = empty();
  for (const p of parts) {
    total.passed += p.passed ?? 0;
    total.failed += p.failed ?? 0;
    total.skipped += p.skipped ?? 0;
    total.notes.push(...(p.notes ?? []));
  }
  return total;
}

/**
 * Lint and typecheck are checks, not tests: a clean one counts as one passed check, and every
 * finding counts as one failure (so `npm test` fails on a single lint warning or type error).
 *
 * @param {any} report parsed `eslint --format json` output, or null if missing/unreadable
 * @param {{ exitCode: number | null }} run
 * @returns {Counts}
 */
export function summarizeLint(report, { exitCode }) {
  const counts = empty();
  if (!Array.isArray(report)) {
    counts.failed = 1;
    counts.notes.push(`eslint produced no readable report (exit ${exitCode})`);
    return counts;
  }
  for (const file of report) {
    for (const m of file.messages ?? []) {
      counts.failed += 1;
      if (counts.notes.length < 20)
        counts.notes.push(
          `lint: ${file.filePath}:${m.line ?? 0}:${m.column ?? 0} ${m.ruleId ?? 'parse'} ${firstLine(m.message)}`,
        );
    }
  }
  if (counts.failed === 0) counts.passed = 1;
  return explainExit(counts, 'eslint', exitCode);
}

/**
 * @param {string} output what `tsc --noEmit` printed
 * @param {{ exitCode: number | null }} run
 * @returns {Counts}
 */
export function summarizeTypecheck(output, { exitCode }) {
  const counts = empty();
  const errors = stripAnsi(output)
    .split('\n')
    .filter((l) => /error TS\d+:/.test(l));
  counts.failed = errors.length;
  counts.notes.push(...errors.slice(0, 20).map((l) => `typecheck: ${l.trim()}`));
  if (counts.failed === 0 && exitCode === 0) counts.passed = 1;
  return explainExit(counts, 'tsc', exitCode);
}

/** The last line of `npm test`; CI reads it. */
export function formatSummaryLine({ passed, failed, skipped = 0 }) {
  return `tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`;
}
