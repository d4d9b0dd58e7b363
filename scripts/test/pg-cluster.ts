import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findPostgresBinDir, missingDepsMessage, SYSTEM_DEPS } from './system-deps.mjs';

/**
 * A throwaway PostgreSQL cluster for integration tests: its own data dir under /tmp, trust auth,
 * durability off (fast), listening on 127.0.0.1 only, on a free port.
 *
 *   const pgc = await startTempPostgres();   // in beforeAll (allow ~10 s)
 *   process.env.DATABASE_URL = pgc.url;
 *   await pgc.stop();                         // in afterAll
 *
 * As root, initdb and postgres run as the `postgres` OS user (initdb refuses root). They are spawned
 * with Node's uid/gid options rather than through runuser so that stop()'s SIGINT reaches the
 * postmaster itself (a fast shutdown) instead of a wrapper.
 */
export interface TempPostgres {
  /** postgres://proclens@127.0.0.1:<port>/proclens_test */
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

const SUPERUSER = 'proclens';
const DATABASE = 'proclens_test';
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;

export function postgresAvailable(): boolean {
  return findPostgresBinDir() !== null;
}

function requireBinDir(): string {
  const bin = findPostgresBinDir();
  if (!bin) {
    const dep = SYSTEM_DEPS.filter((d) => d.debianPackage === 'postgresql');
    throw new Error(`PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. ${missingDepsMessage(dep)}`);
  }
  return bin;
}

interface RunAs {
  uid?: number;
  gid?: number;
}

/** When root, the ids of the `postgres` OS user (created by the Debian package). */
function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (!uid || !gid) {
    throw new Error(
      'Running as root but there is no `postgres` OS user to run PostgreSQL as; install the Debian package postgresql.',
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function run(
  file: string,
  args: string[],
  opts: RunAs & { cwd: string; env: NodeJS.ProcessEnv },
  track: (child: ChildProcess | null) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { ...opts, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      track(null);
      if (err) reject(new Error(`${path.basename(file)} failed: ${err.message}\n${stdout}\n${stderr}`.trim()));
      else resolve();
    });
    track(child);
  });
}

/**
 * If the test process goes away without stop() (a crash, a failed afterAll, vitest tearing the worker
 * down with SIGTERM/SIGINT), kill what we spawned and remove the dir rather than leave a server behind.
 * A SIGKILLed worker still leaks; nothing in-process can prevent that.
 */
function exitGuard(cleanup: () => void): { disarm(): void } {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    disarm();
    cleanup();
    // Keep the default behaviour (die by the signal) unless someone else handles it.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const disarm = () => {
    process.removeListener('exit', cleanup);
    for (const s of signals) process.removeListener(s, onSignal);
  };
  process.once('exit', cleanup);
  for (const s of signals) process.once(s, onSignal);
  return { disarm };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `postgres exited (${child.exitCode ?? child.signalCode}) before accepting connections:\n${log()}`,
      );
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (e) {
      lastError = e;
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(
    `postgres did not accept connections within ${READY_TIMEOUT_MS} ms (${String(lastError)}):\n${log()}`,
  );
}

export async function startTempPostgres(): Promise<TempPostgres> {
  const bin = requireBinDir();
  const runAs = postgresUser();
  const base = fs.mkdtempSync(path.join(runAs.uid !== undefined ? '/tmp' : os.tmpdir(), 'proclens-pg-'));
  let child: ChildProcess | null = null;
  const guard = exitGuard(() => {
    child?.kill('SIGKILL');
    fs.rmSync(base, { recursive: true, force: true });
  });
  const dataDir = path.join(base, 'data');
  const socketDir = path.join(base, 'sock');
  const env = { ...process.env, HOME: base, LC_ALL: 'C.UTF-8', PGTZ: 'UTC' };
  const opts = { ...runAs, cwd: base, env };

  try {
    fs.mkdirSync(socketDir);
    fs.chmodSync(base, 0o700);
    if (runAs.uid !== undefined && runAs.gid !== undefined) {
      fs.chownSync(base, runAs.uid, runAs.gid);
      fs.chownSync(socketDir, runAs.uid, runAs.gid);
    }
    const initdbArgs = ['-D', dataDir, '-U', SUPERUSER, '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'];
    await run(path.join(bin, 'initdb'), initdbArgs, opts, (c) => (child = c));

    // A free port can be taken between probing and binding; postgres then exits and we retry.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      let log = '';
      const pgArgs = ['-D', dataDir, '-k', socketDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'];
      for (const c of ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']) pgArgs.push('-c', c);
      const server = spawn(path.join(bin, 'postgres'), pgArgs, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
      child = server;
      const keep = (chunk: Buffer) => {
        log = (log + chunk.toString()).slice(-8_000);
      };
      server.stdout?.on('data', keep);
      server.stderr?.on('data', keep);

      const adminUrl = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
      try {
        await waitUntilReady(adminUrl, server, () => log);
      } catch (e) {
        server.kill('SIGKILL');
        await exited(server);
        child = null;
        if (attempt < 3 && /could not bind|Address already in use/i.test(log)) continue;
        throw e;
      }

      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${DATABASE}`);
      } finally {
        await admin.end();
      }

      let stopping: Promise<void> | null = null;
      return {
        url: `postgres://${SUPERUSER}@127.0.0.1:${port}/${DATABASE}`,
        port,
        dataDir,
        stop() {
          stopping ??= (async () => {
            // SIGINT = "fast" shutdown: abort open transactions, disconnect clients, exit cleanly.
            server.kill('SIGINT');
            const timer = setTimeout(() => server.kill('SIGKILL'), STOP_TIMEOUT_MS);
            await exited(server);
            clearTimeout(timer);
            guard.disarm();
            fs.rmSync(base, { recursive: true, force: true });
          })();
          return stopping;
        },
      };
    }
  } catch (e) {
    guard.disarm();
    const running = child as ChildProcess | null;
    if (running) {
      running.kill('SIGKILL');
      await exited(running);
    }
    fs.rmSync(base, { recursive: true, force: true });
    throw e;
  }
}
