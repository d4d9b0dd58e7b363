import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeVt, type FakeVt } from '@/e2e/fake-vt/server';
import { cli, cliProcess } from '@/tests/cli';
import { migratedDataDir } from '@/tests/helpers';

/**
 * `proclens check` end to end: real collection of this machine's processes, the fake VirusTotal
 * over HTTP, the embedded database in a throwaway data directory.
 */
const LINE = /^.+ - (malicious|Not malicious|The secure score is not found)$/;
const nodeSha = crypto.createHash('sha256').update(fs.readFileSync(process.execPath)).digest('hex');

let fake: FakeVt;
beforeAll(async () => {
  fake = await createFakeVt({ perMinute: 0, perDay: 0 });
  fake.addReport({ sha256: nodeSha, malicious: 5, undetected: 60, label: 'test.node/fake' });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setFault(null);
});

function vtEnv(dataDir: string, extra: Record<string, string> = {}) {
  return { DATA_DIR: dataDir, VT_BASE_URL: fake.url, VT_API_KEY: fake.apiKey, VT_REQUESTS_PER_MINUTE: '600', ...extra };
}

async function collected(): Promise<{ dataDir: string; processes: number; hashes: number }> {
  const dataDir = await migratedDataDir();
  const r = await cli(['collect', '--json'], { DATA_DIR: dataDir });
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { processes: Array<{ sha256: string | null }> };
  return {
    dataDir,
    processes: doc.processes.length,
    hashes: new Set(doc.processes.map((p) => p.sha256).filter(Boolean)).size,
  };
}

describe('proclens check', () => {
  it('checks each distinct hash once, writes vt_results.txt and the JSON, and a second check is free', async () => {
    const { dataDir, processes, hashes } = await collected();
    const txt = path.join(dataDir, 'out', 'vt_results.txt');
    const r = await cli(['check', '--latest', '--txt', txt, '--json'], vtEnv(dataDir));
    expect(r.code, r.stderr).toBe(0);
    expect(fake.requests()).toBe(hashes);
    expect(r.stderr).toMatch(new RegExp(`${hashes} of ${hashes} hashes checked`));

    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['run', 'hashes']);
    expect(doc.hashes).toHaveLength(hashes);
    expect(Object.keys(doc.hashes[0])).toEqual([
      'sha256',
      'md5',
      'sha1',
      'vtScore',
      'verdict',
      'engines',
      'threatLabel',
      'vtLink',
      'processes',
    ]);
    expect(doc.hashes[0]).toMatchObject({
      sha256: nodeSha,
      vtScore: 5,
      verdict: 'malicious',
      engines: 65,
      threatLabel: 'test.node/fake',
    });
    expect(doc.hashes.slice(1).every((h: { verdict: string }) => h.verdict === 'not-found')).toBe(true);

    const lines = fs.readFileSync(txt, 'utf8').split('\n');
    const main = lines.slice(0, lines.indexOf(''));
    const rest = lines.slice(lines.indexOf('') + 1).filter((l) => l.startsWith('# ') && !l.startsWith('# Not checked'));
    expect(main.every((l) => LINE.test(l))).toBe(true);
    expect(main.length + rest.length).toBe(processes);
    expect(main.some((l) => l.endsWith(' - malicious'))).toBe(true);
    expect(main.some((l) => l.endsWith(' - The secure score is not found'))).toBe(true);

    const again = await cli(['check', '--latest'], vtEnv(dataDir));
    expect(again.code, again.stderr).toBe(0);
    expect(fake.requests()).toBe(hashes);
    expect(again.stdout.trim().split('\n')[0]).toMatch(LINE);
  });

  it('fails with a reason: no key, a rejected key (never echoed), the daily quota with its reset time', async () => {
    const { dataDir } = await collected();
    const noKey = await cli(['check', '--latest'], vtEnv(dataDir, { VT_API_KEY: '' }));
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/No VirusTotal API key/);

    fake.setFault({ kind: '401' });
    // At the public key's pace (one lookup in flight) a rejected key costs exactly one request.
    const bad = await cli(['check', '--latest'], vtEnv(dataDir, { VT_REQUESTS_PER_MINUTE: '4' }));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/rejected the API key/);
    expect(bad.stderr + bad.stdout).not.toContain(fake.apiKey);
    expect(fake.requests()).toBe(1);

    fake.setFault(null);
    const daily = await cli(['check', '--latest'], vtEnv(dataDir, { VT_REQUESTS_PER_DAY: '1' }));
    expect(daily.code).toBe(1);
    expect(daily.stderr).toMatch(/Daily quota reached — resumes at 00:00 UTC \(\d{4}-\d{2}-\d{2}T00:00:00\.000Z\)/);

    const unknownRun = await cli(['check', '--run', '9999'], vtEnv(dataDir));
    expect(unknownRun.code).toBe(1);
    expect(unknownRun.stderr).toMatch(/Run 9999 does not exist/);
    expect((await cli(['check', '--run', '../1'], vtEnv(dataDir))).code).toBe(2);
  });

  it('killed mid-queue and started again: finishes with none forgotten, and asks again only the hash whose answer was lost', async () => {
    const { dataDir, hashes } = await collected();
    expect(hashes).toBeGreaterThanOrEqual(3);
    const env = vtEnv(dataDir, { VT_REQUESTS_PER_MINUTE: '60' });
    const first = cliProcess(['check', '--latest'], env);
    const exited = new Promise((r) => first.on('exit', r));
    const until = async (what: string, ok: () => boolean) => {
      const deadline = Date.now() + 30_000;
      while (!ok()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    // Two answers arrive and are stored (one request a second); the third is held by VirusTotal
    // when the process is killed, so exactly its answer is lost.
    await until('two lookups', () => fake.requests() >= 2);
    fake.setFault({ kind: 'slow', delayMs: 120_000 });
    await until('the held third lookup', () => fake.requests() >= 3);
    const inFlight = fake.requestLog().at(-1)!.hash;
    const holder = JSON.parse(fs.readFileSync(path.join(dataDir, 'proclens.lock'), 'utf8')) as { pid: number };
    process.kill(holder.pid, 'SIGKILL');
    await exited;
    fake.setFault(null);
    expect(fake.requests()).toBe(3);

    const second = await cli(['check', '--latest', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(fake.requests()).toBe(hashes + 1);
    for (const h of JSON.parse(second.stdout).hashes as Array<{ sha256: string; verdict: string }>) {
      expect(fake.hashRequests(h.sha256)).toBe(h.sha256 === inFlight ? 2 : 1);
      expect(['malicious', 'not-found']).toContain(h.verdict);
    }
  });
});
