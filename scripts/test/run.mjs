#!/usr/bin/env node
// `npm test`: lint + format + typecheck (side by side) → system packages → Vitest beside (production build → Playwright), then ONE summary line,
// always last: `tests: N passed, N failed[, N skipped]`. Exit code is non-zero on any failure,
// including a phase that crashed or a build that failed (each counts as at least one failure).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { currentBuildId, sourceFingerprint } from './build-fingerprint.mjs';
import { banner, bin, report, root, run, runCapture, say, signalChildren } from './children.mjs';
import { ensureSystemDeps } from './system-deps.mjs';
import {
  combineCounts,
  formatSummaryLine,
  summarizeLint,
  summarizePlaywright,
  summarizeTypecheck,
  summarizeVitest,
} from './summary.mjs';

const artifacts = path.join(root, '.test-artifacts');
const vitestReport = path.join(artifacts, 'vitest.json');
const lintReport = path.join(artifacts, 'eslint.json');
const playwrightReport = path.join(artifacts, 'playwright.json');
const buildStamp = path.join(root, '.next', 'proclens-build-fingerprint.json');

/**
 * Vitest and the build + Playwright run side by side: both spend much of their time waiting (child
 * processes, the fake VirusTotal's pacing, a browser), so together they take little more than the
 * longer one. Their ports, data directories and databases are their own. Vitest streams; the build
 * and Playwright print whole blocks when each ends. PROCLENS_TEST_SERIAL=1 runs them one after another.
 */
const sideBySide = !process.env.PROCLENS_TEST_SERIAL;

const parts = [];
const timings = [];
let interruptedBy = null;

async function phase(name, fn) {
  const started = Date.now();
  let result = 'ok';
  try {
    result = (await fn()) ?? 'ok';
  } catch (e) {
    parts.push({ failed: 1, notes: [`${name} crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`] });
    result = 'crashed';
  }
  timings.push({ name, seconds: (Date.now() - started) / 1000, result });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const countsText = (c) => `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`;

// ---- phases ---------------------------------------------------------------------------------
async function systemDeps() {
  banner('system packages');
  const res = await ensureSystemDeps({ log: say });
  if (!res.ok) {
    say(res.message);
    parts.push({ failed: 1, notes: [res.message] });
    return 'missing';
  }
  say(res.installed.length ? `installed: ${res.installed.join(', ')}` : 'chromium and postgresql present');
  return res.installed.length ? `installed ${res.installed.join(', ')}` : 'ok';
}

async function lint() {
  fs.rmSync(lintReport, { force: true });
  const argv = [
    ...bin('eslint'),
    '.',
    '--max-warnings',
    '0',
    '--format',
    'json',
    '--output-file',
    path.relative(root, lintReport),
  ];
  const { code, output } = await runCapture(argv);
  report('lint (eslint)', argv, output);
  const counts = summarizeLint(readJson(lintReport), { exitCode: code });
  parts.push(counts);
  return counts.failed === 0 ? 'clean' : `${counts.failed} finding(s)`;
}

/** Prettier's check: every file it would rewrite counts as one failure, a clean tree as one pass. */
async function formatCheck() {
  const argv = [...bin('prettier'), '--check', '.'];
  const { code, output } = await runCapture(argv);
  report('format (prettier --check)', argv, output);
  const files = output.split('\n').filter((l) => /^\[warn\] (?!Code style issues)/.test(l));
  const failed = code === 0 ? 0 : Math.max(1, files.length);
  parts.push({
    passed: failed ? 0 : 1,
    failed,
    notes: failed ? [`${failed} file(s) not formatted: run npm run format`] : [],
  });
  return failed ? `${failed} file(s) not formatted` : 'clean';
}

async function typecheck() {
  const argv = [...bin('tsc'), '--noEmit'];
  const { code, output } = await runCapture(argv);
  report('typecheck (tsc)', argv, output);
  const counts = summarizeTypecheck(output, { exitCode: code });
  parts.push(counts);
  return counts.failed === 0 ? 'clean' : `${counts.failed} error(s)`;
}

async function vitest() {
  banner('vitest (unit + integration)');
  fs.rmSync(vitestReport, { force: true });
  const code = await run([
    ...bin('vitest'),
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile=${path.relative(root, vitestReport)}`,
    '--passWithNoTests',
  ]);
  const counts = summarizeVitest(readJson(vitestReport), { exitCode: code });
  parts.push(counts);
  return `${countsText(counts)} (exit ${code})`;
}

/** @returns {Promise<boolean>} whether a fresh production build is available */
async function build() {
  if (!sideBySide) banner('next build');
  const fingerprint = sourceFingerprint();
  const stamp = readJson(buildStamp);
  const buildId = currentBuildId();
  if (
    !process.env.PROCLENS_FORCE_BUILD &&
    buildId &&
    stamp?.fingerprint === fingerprint &&
    stamp?.buildId === buildId
  ) {
    if (sideBySide) banner('next build');
    say(`sources unchanged since build ${buildId}; reusing .next (PROCLENS_FORCE_BUILD=1 rebuilds)`);
    return { fresh: true, result: 'reused' };
  }
  // The build imports server modules; a throwaway DATA_DIR keeps it off a developer's ./data.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-build-'));
  fs.rmSync(buildStamp, { force: true });
  let code;
  try {
    const argv = [...bin('next'), 'build'];
    const env = { DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' };
    if (sideBySide) {
      const r = await runCapture(argv, env);
      report('next build', argv, r.output);
      code = r.code;
    } else {
      code = await run(argv, env);
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  if (code !== 0 || !currentBuildId()) {
    const note = `next build failed (exit ${code}); e2e tests skipped`;
    say(note);
    parts.push({ failed: 1, notes: [note] });
    return { fresh: false, result: `failed (exit ${code})` };
  }
  fs.writeFileSync(buildStamp, JSON.stringify({ fingerprint, buildId: currentBuildId() }));
  return { fresh: true, result: 'built' };
}

function hasSpecs(dir) {
  if (!fs.existsSync(dir)) return false;
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .some((e) => e.isFile() && e.name.endsWith('.spec.ts'));
}

async function playwright() {
  fs.rmSync(playwrightReport, { force: true });
  const argv = [...bin('playwright'), 'test', '--reporter=list,json'];
  const env = { PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport };
  let code;
  if (sideBySide) {
    const r = await runCapture(argv, env);
    report('playwright (e2e)', argv, r.output);
    code = r.code;
  } else {
    banner('playwright (e2e)');
    code = await run(argv, env);
  }
  const counts = summarizePlaywright(readJson(playwrightReport), { exitCode: code });
  parts.push(counts);
  return `${countsText(counts)} (exit ${code})`;
}

/** The production build, then the browser specs against it. */
async function e2e(e2eDir) {
  if (!hasSpecs(e2eDir)) {
    banner('playwright (e2e)');
    say('no e2e/**/*.spec.ts files yet: build and e2e phases skipped');
    timings.push({ name: 'next build', seconds: 0, result: 'skipped (no e2e specs)' });
    timings.push({ name: 'playwright', seconds: 0, result: 'skipped (no e2e specs)' });
    return;
  }
  let fresh = false;
  await phase('next build', async () => {
    const r = await build();
    fresh = r.fresh;
    return r.result;
  });
  if (fresh && !interruptedBy) await phase('playwright', playwright);
  else
    timings.push({
      name: 'playwright',
      seconds: 0,
      result: interruptedBy ? 'skipped (interrupted)' : 'skipped (no fresh build)',
    });
}

// ---- main -----------------------------------------------------------------------------------
function onSignal(signal) {
  if (!interruptedBy) {
    interruptedBy = signal;
    parts.push({ failed: 1, notes: [`interrupted by ${signal}`] });
  }
  signalChildren(signal);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const e2eDir = path.join(root, 'e2e');

  // The three static checks are independent: side by side they take the slowest one's time.
  await Promise.all([phase('lint', lint), phase('format', formatCheck), phase('typecheck', typecheck)]);

  let depsOk = true;
  if (!interruptedBy)
    await phase('system packages', async () => {
      const r = await systemDeps();
      depsOk = r !== 'missing';
      return r;
    });
  if (!depsOk || interruptedBy) {
    // nothing more can run meaningfully
  } else if (sideBySide) {
    await Promise.all([phase('vitest', vitest), e2e(e2eDir)]);
  } else {
    await phase('vitest', vitest);
    if (!interruptedBy) await e2e(e2eDir);
  }

  const total = combineCounts(parts);
  banner('summary');
  for (const t of timings) say(`${t.name.padEnd(16)} ${t.seconds.toFixed(1).padStart(7)}s  ${t.result}`);
  for (const n of total.notes) say(`! ${n}`);
  say(formatSummaryLine(total));
  process.exitCode = total.failed > 0 ? 1 : 0;
}

main().catch((e) => {
  // Keep the contract even if this script itself has a bug: the summary line comes last.
  console.error(e);
  const total = combineCounts(parts);
  console.log(formatSummaryLine({ ...total, failed: Math.max(1, total.failed) }));
  process.exitCode = 1;
});
