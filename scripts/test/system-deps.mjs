// System packages the test suite needs beyond node_modules: a Chromium for Playwright (it cannot
// download its own browsers here) and a PostgreSQL server for the Postgres integration suite.
// Shared by scripts/test/run.mjs (which installs what is missing), playwright.config.ts and
// scripts/test/pg-cluster.ts (which only check and explain).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';
const PG_ROOT = '/usr/lib/postgresql';

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM_PATH;
}

/** Highest-version `/usr/lib/postgresql/<v>/bin` holding a `postgres` binary, or null. */
export function findPostgresBinDir() {
  let versions;
  try {
    versions = fs.readdirSync(PG_ROOT);
  } catch {
    return null;
  }
  const dirs = versions
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => path.join(PG_ROOT, v, 'bin'))
    .filter((bin) => fs.existsSync(path.join(bin, 'postgres')) && fs.existsSync(path.join(bin, 'initdb')));
  return dirs[0] ?? null;
}

/** Each dependency names the Debian package that provides it. */
export const SYSTEM_DEPS = [
  { name: 'Chromium', debianPackage: 'chromium', present: () => fs.existsSync(chromiumPath()) },
  { name: 'PostgreSQL server', debianPackage: 'postgresql', present: () => findPostgresBinDir() !== null },
];

export function missingSystemDeps() {
  return SYSTEM_DEPS.filter((d) => !d.present());
}

export function missingDepsMessage(missing) {
  const pkgs = missing.map((d) => d.debianPackage).join(' ');
  return (
    `Missing system packages for the tests: ${missing.map((d) => `${d.name} (Debian package ${d.debianPackage})`).join(', ')}. ` +
    `Install them with: apt-get install -y ${pkgs}`
  );
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function findOnPath(cmd) {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && fs.existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return null;
}

/** Runs a command, streaming its output line by line with a prefix; resolves to its exit code. */
function runPrefixed(cmd, args, prefix, log) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', NEEDRESTART_MODE: 'a' },
    });
    const pump = (stream) => {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk) => {
        buf += chunk;
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) log(`${prefix} ${line}`);
      });
      stream.on('end', () => buf && log(`${prefix} ${buf}`));
    };
    pump(child.stdout);
    pump(child.stderr);
    child.on('error', (e) => {
      log(`${prefix} ${e.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/**
 * Installs missing system packages with apt-get when we are root, else explains what to install.
 * Resolves to { ok: true } or { ok: false, message } — never throws.
 */
export async function ensureSystemDeps({ log = (line) => console.log(line) } = {}) {
  const missing = missingSystemDeps();
  if (missing.length === 0) return { ok: true, installed: [] };
  const aptGet = findOnPath('apt-get');
  if (!isRoot() || !aptGet) {
    return { ok: false, message: missingDepsMessage(missing) };
  }
  const pkgs = missing.map((d) => d.debianPackage);
  log(`[system-deps] installing ${pkgs.join(', ')} with apt-get`);
  const updated = await runPrefixed(aptGet, ['update'], '[apt]', log);
  if (updated !== 0) {
    return { ok: false, message: `apt-get update failed (exit ${updated}). ${missingDepsMessage(missing)}` };
  }
  const installed = await runPrefixed(
    aptGet,
    ['install', '-y', '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...pkgs],
    '[apt]',
    log,
  );
  const still = missingSystemDeps();
  if (installed !== 0) {
    return { ok: false, message: `apt-get install failed (exit ${installed}). ${missingDepsMessage(missing)}` };
  }
  if (still.length > 0) {
    const hint = process.env.CHROMIUM_PATH ? ` (CHROMIUM_PATH is ${process.env.CHROMIUM_PATH})` : '';
    return { ok: false, message: `apt-get install succeeded but still missing${hint}. ${missingDepsMessage(still)}` };
  }
  return { ok: true, installed: pkgs };
}
