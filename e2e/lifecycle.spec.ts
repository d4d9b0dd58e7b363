import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import { startServer, trpc, waitHealthy, type ServerProcess } from './server-process';

const servers: ServerProcess[] = [];
test.afterAll(() => {
  for (const s of servers) s.child.kill('SIGKILL');
});

async function started(dataDir: string): Promise<ServerProcess> {
  const s = await startServer(dataDir);
  servers.push(s);
  await waitHealthy(s);
  return s;
}

interface Run {
  id: number;
  status: string;
  error: string | null;
  processCount: number;
}

test('one server per data directory; clean stop; runs survive a restart', async () => {
  // Three server starts and a full collection: about 55 s at a load average of 11 on two cores.
  test.setTimeout(120_000);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-life-'));
  const a = await started(dataDir);
  const { runId } = await trpc<{ runId: number }>(a.url, 'runs.collect', { minMemoryPercent: 0 }, 'POST');
  await expect
    .poll(async () => (await trpc<Run>(a.url, 'runs.byId', { runId })).status, { timeout: 60_000 })
    .toBe('completed');

  // A second server on the same directory refuses, naming the holder.
  const b = await startServer(dataDir);
  servers.push(b);
  expect(await b.exited).not.toBe(0);
  expect(b.output()).toMatch(/in use by a ProcLens server \(pid \d+/);

  // SIGTERM closes the database and frees the directory.
  a.child.kill('SIGTERM');
  expect(await a.exited).toBe(0);
  expect(fs.existsSync(path.join(dataDir, 'proclens.lock'))).toBe(false);

  const c = await started(dataDir);
  const run = await trpc<Run>(c.url, 'runs.byId', { runId });
  expect(run.status).toBe('completed');
  expect(run.processCount).toBeGreaterThan(0);
  c.child.kill('SIGTERM');
  await c.exited;
});

test('a run interrupted by a crash is marked failed with the reason after restart', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-crash-'));
  // A 1 GiB executable (sleep plus sparse padding: the loader ignores trailing bytes) keeps the
  // hashing busy for seconds, so the kill lands mid-collection.
  const bin = path.join(dataDir, 'plbigsleep');
  fs.copyFileSync('/bin/sleep', bin);
  fs.truncateSync(bin, 1024 ** 3);
  fs.chmodSync(bin, 0o755);
  const big = spawn(bin, ['300'], { stdio: 'ignore' });
  try {
    const a = await started(dataDir);
    const { runId } = await trpc<{ runId: number }>(a.url, 'runs.collect', { minMemoryPercent: 0 }, 'POST');
    await expect
      .poll(
        async () =>
          (await trpc<Run & { progress: { phase: string } | null }>(a.url, 'runs.byId', { runId })).progress?.phase,
      )
      .toBe('hashing');
    // `npm start` serves in its own process: killing it kills the holder of the database.
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, 'proclens.lock'), 'utf8')) as { pid: number };
    expect(lock.pid).toBe(a.child.pid);
    a.child.kill('SIGKILL');
    await a.exited;

    const b = await started(dataDir);
    const run = await trpc<Run>(b.url, 'runs.byId', { runId });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/Interrupted/);
    b.child.kill('SIGTERM');
    await b.exited;
  } finally {
    big.kill('SIGKILL');
  }
});
