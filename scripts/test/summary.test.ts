import { describe, expect, test } from 'vitest';
import {
  combineCounts,
  formatSummaryLine,
  summarizeLint,
  summarizePlaywright,
  summarizeTypecheck,
  summarizeVitest,
} from './summary.mjs';

// Samples are real reports (vitest 4.1 `--reporter=json`, playwright 1.65 `--reporter=json`) from
// throwaway suites, trimmed to the fields the summary reads plus a little context.

const vitestMixed = {
  numTotalTests: 6,
  numPassedTests: 3,
  numFailedTests: 1,
  numPendingTests: 1,
  numTodoTests: 1,
  success: false,
  testResults: [
    {
      name: '/repo/a.test.ts',
      status: 'failed',
      message: '',
      assertionResults: [
        { fullName: 'grp pass', status: 'passed', failureMessages: [] },
        { fullName: 'grp fail', status: 'failed', failureMessages: ['AssertionError: expected 1 to be 2'] },
        { fullName: 'grp skipped', status: 'skipped', failureMessages: [] },
        { fullName: 'grp todo', status: 'todo', failureMessages: [] },
        // retry: 2 — failed once, then passed: the report keeps the first failure's message
        { fullName: 'flaky', status: 'passed', failureMessages: ['Error: flake'] },
      ],
    },
    {
      // import error: the file never got to define its tests
      name: '/repo/b.test.ts',
      status: 'failed',
      message: "Cannot find module './does-not-exist' imported from /repo/b.test.ts",
      assertionResults: [],
    },
    {
      name: '/repo/c.test.ts',
      status: 'passed',
      message: '',
      assertionResults: [{ fullName: 'unhandled', status: 'passed', failureMessages: [] }],
    },
  ],
};

// A test that passed but left an unhandled error behind: vitest exits 1, yet the report says success.
const vitestUnhandledOnly = {
  numTotalTests: 1,
  numPassedTests: 1,
  numFailedTests: 0,
  success: true,
  testResults: [
    {
      name: '/repo/d.test.ts',
      status: 'passed',
      message: '',
      assertionResults: [{ fullName: 'unhandled', status: 'passed', failureMessages: [] }],
    },
  ],
};

const vitestNoTests = { numTotalTests: 0, success: true, testResults: [] };

const pwTest = (status: string, results: string[]) => ({
  expectedStatus: status === 'skipped' ? 'skipped' : 'passed',
  projectName: 'chromium',
  results: results.map((s, retry) => ({ retry, status: s })),
  status,
});

const playwrightMixed = {
  suites: [
    {
      title: 'a.spec.ts',
      file: 'a.spec.ts',
      specs: [
        { title: 'pass with page', ok: true, tests: [pwTest('expected', ['passed'])] },
        { title: 'fail', ok: false, tests: [pwTest('unexpected', ['failed', 'failed'])] },
        { title: 'skipped', ok: true, tests: [pwTest('skipped', ['skipped'])] },
        { title: 'flaky', ok: true, tests: [pwTest('flaky', ['failed', 'passed'])] },
        { title: 'fixme', ok: true, tests: [pwTest('skipped', ['skipped'])] },
      ],
      // test.describe blocks nest as suites
      suites: [
        {
          title: 'runs page',
          file: 'a.spec.ts',
          specs: [{ title: 'nested', ok: true, tests: [pwTest('expected', ['passed'])] }],
        },
      ],
    },
  ],
  errors: [],
  stats: { duration: 3795.1, expected: 2, skipped: 2, unexpected: 1, flaky: 1 },
};

const playwrightLoadError = {
  suites: [],
  errors: [{ message: 'Error: load failure', stack: 'Error: load failure\n    at /repo/e2e/b.spec.ts:2:7' }],
  stats: { duration: 60.8, expected: 0, skipped: 0, unexpected: 0, flaky: 0 },
};

const playwrightWebServerDown = {
  suites: [],
  errors: [{ message: 'Error: Process from config.webServer was not able to start. Exit code: 3' }],
  stats: { duration: 136.5, expected: 0, skipped: 0, unexpected: 0, flaky: 0 },
};

describe('summarizeVitest', () => {
  test('counts retried-then-passed as passed, skip/todo as skipped, a file that failed to load as a failure', () => {
    const c = summarizeVitest(vitestMixed, { exitCode: 1 });
    expect([c.passed, c.failed, c.skipped]).toEqual([3, 2, 2]);
    expect(c.notes.join('\n')).toContain("b.test.ts failed outside any test: Cannot find module './does-not-exist'");
  });

  test('a non-zero exit the report does not explain counts as one failure', () => {
    const c = summarizeVitest(vitestUnhandledOnly, { exitCode: 1 });
    expect([c.passed, c.failed, c.skipped]).toEqual([1, 1, 0]);
    expect(c.notes[0]).toMatch(/exited with code 1/);
    expect(summarizeVitest(vitestUnhandledOnly, { exitCode: 0 })).toMatchObject({ passed: 1, failed: 0 });
  });

  test('no test files (passWithNoTests) is a clean zero', () => {
    expect(summarizeVitest(vitestNoTests, { exitCode: 0 })).toEqual({ passed: 0, failed: 0, skipped: 0, notes: [] });
  });

  test('a missing report counts as one failure', () => {
    expect(summarizeVitest(null, { exitCode: 1 })).toMatchObject({ passed: 0, failed: 1 });
    expect(summarizeVitest(null, { exitCode: 0 })).toMatchObject({ failed: 1 });
  });
});

describe('summarizePlaywright', () => {
  test('walks nested suites; flaky counts as passed, skipped and fixme as skipped', () => {
    const c = summarizePlaywright(playwrightMixed, { exitCode: 1 });
    expect([c.passed, c.failed, c.skipped]).toEqual([3, 1, 2]);
  });

  test('a spec that failed to load counts as a failure', () => {
    const c = summarizePlaywright(playwrightLoadError, { exitCode: 1 });
    expect([c.passed, c.failed]).toEqual([0, 1]);
    expect(c.notes).toEqual(['playwright: Error: load failure']);
  });

  test('a web server that never came up counts as a failure', () => {
    const c = summarizePlaywright(playwrightWebServerDown, { exitCode: 1 });
    expect(c.failed).toBe(1);
    expect(c.notes[0]).toContain('webServer was not able to start');
  });

  test('a crash without a report, or an unexplained exit code, counts as one failure', () => {
    expect(summarizePlaywright(null, { exitCode: 1 })).toMatchObject({ failed: 1 });
    const allGreen = {
      ...playwrightMixed,
      suites: [{ title: 'x', specs: [{ title: 'ok', tests: [pwTest('expected', ['passed'])] }] }],
    };
    expect(summarizePlaywright(allGreen, { exitCode: 0 })).toMatchObject({ passed: 1, failed: 0 });
    expect(summarizePlaywright(allGreen, { exitCode: 130 })).toMatchObject({ passed: 1, failed: 1 });
  });
});

describe('summarizeLint', () => {
  test('a clean lint is one passed check', () => {
    expect(summarizeLint([{ filePath: '/x/a.ts', messages: [] }], { exitCode: 0 })).toMatchObject({
      passed: 1,
      failed: 0,
    });
  });

  test('every finding (warnings included) is a failure, named with its place and rule', () => {
    const c = summarizeLint(
      [
        {
          filePath: '/x/a.ts',
          messages: [{ line: 3, column: 5, ruleId: 'no-unused-vars', message: 'x is unused', severity: 2 }],
        },
        {
          filePath: '/x/b.tsx',
          messages: [
            { line: 1, column: 1, ruleId: 'react-hooks/exhaustive-deps', message: 'missing dep', severity: 1 },
          ],
        },
      ],
      { exitCode: 1 },
    );
    expect(c).toMatchObject({ passed: 0, failed: 2 });
    expect(c.notes[0]).toBe('lint: /x/a.ts:3:5 no-unused-vars x is unused');
  });

  test('no report (eslint crashed) is a failure', () => {
    expect(summarizeLint(null, { exitCode: 2 })).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('summarizeTypecheck', () => {
  test('no output and exit 0 is one passed check', () => {
    expect(summarizeTypecheck('', { exitCode: 0 })).toMatchObject({ passed: 1, failed: 0 });
  });

  test('each type error is a failure', () => {
    const out =
      "a.ts(1,2): error TS2304: Cannot find name 'x'.\nb.ts(3,4): error TS2322: Type 'string' is not assignable to type 'number'.\n";
    expect(summarizeTypecheck(out, { exitCode: 2 })).toMatchObject({ passed: 0, failed: 2 });
  });

  test('a non-zero exit without type errors (tsc crashed) is a failure', () => {
    expect(summarizeTypecheck('something broke', { exitCode: 1 })).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('summary line', () => {
  test('adds the phases and prints skipped only when there are some', () => {
    const total = combineCounts([
      summarizeVitest(vitestMixed, { exitCode: 1 }),
      summarizePlaywright(playwrightMixed, { exitCode: 1 }),
      { failed: 1, notes: ['next build failed'] },
    ]);
    expect(formatSummaryLine(total)).toBe('tests: 6 passed, 4 failed, 4 skipped');
    expect(formatSummaryLine({ passed: 12, failed: 0, skipped: 0 })).toBe('tests: 12 passed, 0 failed');
    expect(formatSummaryLine(combineCounts([]))).toBe('tests: 0 passed, 0 failed');
  });
});
