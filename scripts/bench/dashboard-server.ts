import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { accessCookie, freePort, waitHealthy } from '@/e2e/server-process';
import { removeDir, spawnGroup, tempDir } from './cleanup';
import { sleep } from './stats';
import { BUILD_INPUTS } from '../build-inputs.mjs';

/**
 * The production server for the dashboard bench: `next start` like e2e/server-process.ts's
 * startServer, with two differences, both because other engineers work in this checkout meanwhile:
 * - not through scripts/start.mjs, which rebuilds whenever a source file is newer than the build;
 *   a build is made only when there is none at all (.next/BUILD_ID missing), and that is reported;
 * - on a private copy of the build (a temp project dir: `.next` copied, node_modules and the
 *   config linked), so an `npm test` that rebuilds `.next` mid-measurement cannot pull chunks out
 *   from under the browser.
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const NEXT_DIR = path.join(ROOT, '.next');
const NEXT_BIN = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
// Not needed to serve; `cache` alone is most of `.next`.
const SKIP_IN_COPY = new Set(['cache', 'trace', 'trace-build', 'diagnostics', 'types']);

export interface BuildInfo {
  buildId: string;
  builtAt: string;
  builtNow: boolean;
  /** Source files changed after the build (the bench measured the build, not those edits). */
  newerSources: string[];
  /** The private copy: serve from `projectDir`, read manifests from `nextDir`. */
  projectDir: string;
  nextDir: string;
}

function newerThan(p: string, since: number, out: string[]): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return;
  }
  if (st.isDirectory()) {
    for (const e of fs.readdirSync(p)) newerThan(path.join(p, e), since, out);
  } else if (st.mtimeMs > since) {
    out.push(path.relative(ROOT, p));
  }
}

function buildStamp(): string | null {
  try {
    const file = path.join(NEXT_DIR, 'BUILD_ID');
    return `${fs.readFileSync(file, 'utf8').trim()}@${fs.statSync(file).mtimeMs}`;
  } catch {
    return null;
  }
}

/** True while some `next build` runs (another engineer's `npm test`, say). */
function buildRunning(): boolean {
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('/next') || a === 'next') && argv.includes('build')) return true;
    } catch {
      /* gone */
    }
  }
  return false;
}

async function waitForBuildId(log: (m: string) => void): Promise<boolean> {
  const deadline = Date.now() + 240_000;
  let said = false;
  while (buildStamp() === null && buildRunning() && Date.now() < deadline) {
    if (!said) log('dashboard: a `next build` is running in this checkout; waiting for it (up to 4 min)');
    said = true;
    await sleep(2_000);
  }
  return buildStamp() !== null;
}

function runBuild(log: (m: string) => void): void {
  log('dashboard: .next/BUILD_ID is missing — running `next build` once (this takes a few minutes)');
  const dataDir = tempDir('proclens-bench-build-');
  try {
    const r = spawnSync(process.execPath, [NEXT_BIN, 'build'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: '1' },
    });
    if (r.status !== 0 || buildStamp() === null) throw new Error(`next build failed (exit ${r.status})`);
  } finally {
    removeDir(dataDir);
  }
}

function copyBuild(into: string): void {
  fs.mkdirSync(into, { recursive: true });
  for (const e of fs.readdirSync(NEXT_DIR)) {
    if (SKIP_IN_COPY.has(e)) continue;
    // verbatimSymlinks keeps .next/node_modules' relative links pointing at <project>/node_modules.
    fs.cpSync(path.join(NEXT_DIR, e), path.join(into, e), { recursive: true, verbatimSymlinks: true });
  }
}

export async function snapshotBuild(log: (m: string) => void): Promise<BuildInfo> {
  let builtNow = false;
  if (!(await waitForBuildId(log))) {
    runBuild(log);
    builtNow = true;
  }
  const projectDir = tempDir('proclens-bench-app-');
  const nextDir = path.join(projectDir, '.next');
  for (let attempt = 1; ; attempt++) {
    const before = buildStamp();
    fs.rmSync(nextDir, { recursive: true, force: true });
    if (before !== null) {
      try {
        copyBuild(nextDir);
      } catch {
        /* a rebuild removed files mid-copy: retried below */
      }
      if (buildStamp() === before) break;
    }
    if (attempt >= 5)
      throw new Error('the build in .next kept changing while it was being copied (a rebuild in progress?)');
    log('dashboard: .next changed while copying it; waiting for the rebuild and trying again');
    await waitForBuildId(log);
    await sleep(2_000);
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(projectDir, 'node_modules'));
  // next.config.ts imports its body limit from server/gate/ (relative to the project).
  fs.symlinkSync(path.join(ROOT, 'server'), path.join(projectDir, 'server'));
  for (const f of ['package.json', 'next.config.ts', 'tsconfig.json'])
    fs.copyFileSync(path.join(ROOT, f), path.join(projectDir, f));
  fs.cpSync(path.join(ROOT, 'public'), path.join(projectDir, 'public'), { recursive: true });

  const idFile = path.join(nextDir, 'BUILD_ID');
  const st = fs.statSync(idFile);
  const newerSources: string[] = [];
  for (const s of BUILD_INPUTS) newerThan(path.join(ROOT, s), st.mtimeMs, newerSources);
  return {
    buildId: fs.readFileSync(idFile, 'utf8').trim(),
    builtAt: st.mtime.toISOString(),
    builtNow,
    newerSources,
    projectDir,
    nextDir,
  };
}

export interface RunningServer {
  url: string;
  /** The cookie the access link sets (local mode answers only to its holder); each load adds it. */
  cookie: ReturnType<typeof accessCookie>;
  output(): string;
  stop(): Promise<void>;
}

/** Environment for the child: the bench's own VT_* / DATA_DIR settings must not leak into it. */
function serverEnv(dataDir: string, port: number): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(VT_|DATA_DIR$|DATABASE_URL$|PORT$|HOST$|HASH_)/.test(k)) continue;
    env[k] = v;
  }
  return {
    ...(env as NodeJS.ProcessEnv),
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    VT_WORKER: 'off',
    NEXT_MANUAL_SIG_HANDLE: 'true',
    NEXT_TELEMETRY_DISABLED: '1',
    // Migrations are read from the checkout; the build is served from the private copy.
    PROCLENS_ROOT: ROOT,
  };
}

export async function startProductionServer(projectDir: string, dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  const group = spawnGroup(process.execPath, [NEXT_BIN, 'start', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: projectDir,
    env: serverEnv(dataDir, port),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  group.child.stdout?.on('data', (d) => (out += d));
  group.child.stderr?.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  // SIGTERM lets the app close its database; the group is SIGKILLed if it is not gone in 5 s.
  const stop = () => group.kill('SIGTERM');
  try {
    await waitHealthy({ url, child: group.child, output: () => out, exited: group.exited }, 90_000);
    return { url, cookie: accessCookie(url, dataDir), output: () => out, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
