import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumPath, missingDepsMessage, SYSTEM_DEPS } from './scripts/test/system-deps.mjs';

/**
 * E2E runs against the production server (`node scripts/start.mjs` → `next start`) on 127.0.0.1,
 * on a free port, with a throwaway data dir. Specs read where it is from:
 *   PROCLENS_E2E_BASE_URL  e.g. http://127.0.0.1:41234
 *   PROCLENS_E2E_DATA_DIR  the server's DATA_DIR
 *
 * Playwright evaluates this file in the runner AND in every worker process. Only the runner picks
 * the port and makes the dir; workers inherit both through the environment.
 */
const isWorker = process.env.TEST_WORKER_INDEX !== undefined;

/** Asks the kernel for a free port (synchronously: the config cannot await). */
function freePort(): number {
  const out = spawnSync(
    process.execPath,
    [
      '-e',
      "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
    ],
    { encoding: 'utf8' },
  );
  const port = Number(out.stdout.trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error(`could not find a free port: ${out.stderr}`);
  return port;
}

if (!isWorker) {
  const chromium = SYSTEM_DEPS.find((d) => d.debianPackage === 'chromium');
  if (chromium && !chromium.present()) {
    throw new Error(
      `${missingDepsMessage([chromium])} (or set CHROMIUM_PATH). \`npm test\` installs it when run as root.`,
    );
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-e2e-'));
  process.env.PROCLENS_E2E_DATA_DIR = dataDir;
  process.env.PROCLENS_E2E_BASE_URL = `http://127.0.0.1:${freePort()}`;
  process.env.PROCLENS_E2E_FAKE_VT_URL = `http://127.0.0.1:${freePort()}`;
  if (!process.env.PROCLENS_E2E_KEEP_DATA) {
    // The runner stops the web server before it exits; the data dir goes with the run.
    process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  }
}

const baseURL = process.env.PROCLENS_E2E_BASE_URL!;
const port = new URL(baseURL).port;
const fakeVtUrl = process.env.PROCLENS_E2E_FAKE_VT_URL!;
/**
 * Specs that start a server of their own for every test (e2e/server-process.ts) and touch nothing of
 * the suite's server but its access cookie.
 */
const OWN_SERVER_SPECS = [
  'hosted',
  'lifecycle',
  'local-access',
  'reliability',
  'request-bodies',
  'sign-in-throttle',
].map((name) => `**/${name}.spec.ts`);

/** The fake VirusTotal's key; specs enter it on the Settings page like a user would. */
export const E2E_VT_KEY = 'e2e-key-5f3c9a7d21b8e4f6';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: '.test-artifacts/playwright',
  fullyParallel: false,
  // Two streams: the specs that share the suite's server run one at a time (they share its data and
  // the fake VirusTotal's counters); the specs that start servers of their own run beside them.
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  forbidOnly: !!process.env.CI,
  timeout: 60_000,
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-dev-shm-usage',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'chromium', testIgnore: OWN_SERVER_SPECS, workers: 1 },
    { name: 'own-server', testMatch: OWN_SERVER_SPECS, workers: 1 },
  ],
  webServer: [
    {
      // A quota-enforcing fake VirusTotal; the app reaches it only through VT_BASE_URL.
      // The key goes by environment, not argv: ProcLens collects command lines, and the specs scan
      // everything it serves for the key.
      command: `node --import tsx e2e/fake-vt/main.ts --port ${new URL(fakeVtUrl).port} --per-minute 600`,
      env: { FAKE_VT_KEY: E2E_VT_KEY },
      url: `${fakeVtUrl}/__fake/stats`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'pipe',
      stderr: 'pipe',
    },
    {
      command: 'node scripts/start.mjs',
      url: `${baseURL}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      stdout: 'pipe',
      stderr: 'pipe',
      gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
      env: {
        DATA_DIR: process.env.PROCLENS_E2E_DATA_DIR!,
        HOST: '127.0.0.1',
        PORT: port,
        LOG_LEVEL: 'warn',
        NEXT_TELEMETRY_DISABLED: '1',
        // A DATABASE_URL left in the shell must not point e2e at a real database (empty = unset).
        DATABASE_URL: process.env.PROCLENS_E2E_DATABASE_URL ?? '',
        VT_BASE_URL: fakeVtUrl,
        VT_REQUESTS_PER_MINUTE: '600',
        // No key in the environment: the specs add it through the Settings page.
        VT_API_KEY: '',
        // A small share, so vt-queue.spec.ts shows the cap biting with a few dozen fake requests.
        INGEST_VT_NEW_PER_HOST_DAY: '20',
      },
    },
  ],
});
