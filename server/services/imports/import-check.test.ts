import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFakeVt, type FakeVt } from '@/e2e/fake-vt/server';
import type { DbHandle } from '@/db';
import { getRunProcesses } from '@/db/queries/runs';
import { buildRunWorkbook, buildVtResultsTxt } from '@/server/services/artifacts';
import { ingestSnapshot, loadRunExport } from '@/server/services/runs';
import { runCheckStatus, startRunCheck } from '@/server/services/virustotal/queue';
import { startVtWorker, type WorkerHandle } from '@/server/services/virustotal/worker';
import { localPersonHeaders } from '@/tests/caller';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { until } from '@/tests/poll';
import { eocdTrickWorkbook, numberCell, nulWorkbook, oneRowWorkbook } from '@/tests/hostile-workbooks';
import { OLD_MD5, oldScriptWorkbook, workbookFromRows } from '@/tests/import-fixtures';
import { importWorkbook, ImportRejectedError } from './index';

/**
 * Import then check, against PGlite and the fake VirusTotal over HTTP: an MD5-only row is looked up
 * by its MD5, VirusTotal's SHA-256 takes over and joins the cache, and a hash VirusTotal does not
 * know reads "The secure score is not found".
 */
let fake: FakeVt;
let handle: DbHandle;
let worker: WorkerHandle | null = null;

const KNOWN = { ...fakeHashes('sshd-binary'), md5: OLD_MD5.known };

async function checkRun(runId: number) {
  await startRunCheck(handle.db, runId);
  worker ??= startVtWorker({ db: async () => handle.db, idleMs: 50 });
  return until(
    () => runCheckStatus(handle.db, runId),
    (s) => s.check?.status === 'completed',
  );
}

async function txtOf(runId: number): Promise<string> {
  const data = await loadRunExport(handle.db, runId);
  if (!data) throw new Error('no run');
  return buildVtResultsTxt(data);
}

beforeAll(async () => {
  fake = await createFakeVt({ perMinute: 0 });
  fake.addReport({ sha256: KNOWN.sha256, md5: KNOWN.md5, sha1: KNOWN.sha1, malicious: 5, undetected: 60 });
  Object.assign(process.env, {
    VT_BASE_URL: fake.url,
    VT_API_KEY: fake.apiKey,
    VT_REQUESTS_PER_MINUTE: '600',
    VT_REQUESTS_PER_DAY: '500',
    VT_TIMEOUT_MS: '2000',
  });
  handle = await openTestDb();
});
afterEach(() => fake.setFault(null));
afterAll(async () => {
  await worker?.stop();
  await closeTestDb();
  await fake.close();
});

/** POST /api/imports as the dashboard sends it: a multipart form with the file (and a host name). */
async function postImport(file: Buffer, opts: { name?: string; hostname?: string } = {}): Promise<Response> {
  const { POST } = await import('@/app/api/imports/route');
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(file)]), opts.name ?? 'x.xlsx');
  if (opts.hostname !== undefined) form.set('hostname', opts.hostname);
  return POST(
    new Request('http://127.0.0.1:3000/api/imports', {
      method: 'POST',
      headers: { host: '127.0.0.1:3000', ...localPersonHeaders() },
      body: form,
    }),
    undefined,
  );
}

describe('importing a workbook and checking it', () => {
  it('looks MD5-only rows up by MD5, stores the SHA-256 VirusTotal names, and writes the txt lines', async () => {
    const summary = await importWorkbook(handle.db, oldScriptWorkbook());
    expect(summary).toMatchObject({
      shape: 'md5-only',
      hostname: 'unknown host',
      processes: 4,
      md5Only: 2,
      notHashed: 1,
    });
    const before = await getRunProcesses(handle.db, summary.runId);
    expect(before.every((p) => p.sha256 === null)).toBe(true);

    const status = await checkRun(summary.runId);
    expect(status).toMatchObject({ total: 2, checked: 2, failed: 0, pending: 0 });
    // One request per distinct MD5, each by the MD5 itself.
    expect(
      fake
        .requestLog()
        .map((r) => r.asked)
        .sort(),
    ).toEqual([OLD_MD5.known, OLD_MD5.notFound].sort());

    const rows = await getRunProcesses(handle.db, summary.runId);
    const sshd = rows.filter((p) => p.name === 'sshd');
    expect(sshd.map((p) => [p.sha256, p.md5, p.sha1, p.unresolvedMd5, p.vtScore])).toEqual([
      [KNOWN.sha256, KNOWN.md5, KNOWN.sha1, null, 5],
      [KNOWN.sha256, KNOWN.md5, KNOWN.sha1, null, 5],
    ]);
    const unknown = rows.find((p) => p.name === '=cmd|calc');
    expect(unknown).toMatchObject({ sha256: null, unresolvedMd5: OLD_MD5.notFound, vtFound: false });

    expect(await txtOf(summary.runId)).toBe(
      [
        'sshd - malicious',
        '=cmd|calc - The secure score is not found',
        'sshd - malicious',
        '',
        '# Not checked (1 process):',
        '# kthreadd - not hashed (unknown)',
        '',
      ].join('\n'),
    );
  });

  it('needs no request for an MD5 already resolved, nor for a later run with the same executable', async () => {
    const asked = fake.requestLog().length;
    const again = await importWorkbook(handle.db, oldScriptWorkbook());
    // The MD5 VirusTotal resolved is now a known executable: it is stored with its SHA-256 at import.
    expect(again).toMatchObject({ executables: 1, md5Only: 1 });
    const status = await checkRun(again.runId);
    expect(status).toMatchObject({ total: 2, checked: 2, pending: 0 });
    expect(status.check?.uncachedAtStart).toBe(0);

    const snap = makeSnapshot({ n: 1, distinct: 1 });
    snap.processes[0]!.hashes = KNOWN;
    const collected = await ingestSnapshot(handle.db, snap, 'cli');
    expect((await checkRun(collected)).check?.uncachedAtStart).toBe(0);
    expect(fake.requestLog().length).toBe(asked);
  });

  it('imports a ProcLens workbook with its host, executables and exact names', async () => {
    const snap = makeSnapshot({ n: 3, distinct: 2, hostname: 'offline-07' });
    snap.processes[1]!.name = '=1+1';
    const srcRun = await ingestSnapshot(handle.db, snap, 'cli');
    const data = await loadRunExport(handle.db, srcRun);
    const summary = await importWorkbook(handle.db, buildRunWorkbook(data!));
    expect(summary).toMatchObject({
      shape: 'proclens',
      hostname: 'offline-07',
      processes: 4,
      executables: 2,
      md5Only: 0,
    });
    const imported = await loadRunExport(handle.db, summary.runId);
    expect(imported?.run.source).toBe('import');
    expect(imported?.processes.map((p) => [p.name, p.sha256, p.exe])).toEqual(
      data!.processes.map((p) => [p.name, p.sha256, p.exe]),
    );
  });

  it('POST /api/imports takes a multipart upload and answers with the run, or a sentence', async () => {
    const { POST } = await import('@/app/api/imports/route');
    const ok = await postImport(oldScriptWorkbook(), { name: 'All_process_hash_real_time_1.xlsx' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ shape: 'md5-only', processes: 4 });
    const bad = await postImport(Buffer.from('Name,MD5\n'), { name: 'x.csv' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({
      error: { message: 'This is a text file (CSV?), not a workbook. Only .xlsx workbooks can be imported.' },
    });
    const json = await POST(
      new Request('http://127.0.0.1:3000/api/imports', {
        method: 'POST',
        headers: { host: '127.0.0.1:3000', 'content-type': 'application/json', ...localPersonHeaders() },
        body: '{}',
      }),
      undefined,
    );
    expect(json.status).toBe(415);
  });

  it('answers NUL and huge numbers with a 400 sentence before PostgreSQL sees them, writing nothing', async () => {
    const runs = async () =>
      ((await handle.db.execute('select count(*)::int as n from runs')) as unknown as { rows: [{ n: number }] }).rows[0]
        .n;
    const before = await runs();
    const post = (file: Buffer, hostname?: string) => postImport(file, { hostname });
    const nul = await post(nulWorkbook());
    expect(nul.status).toBe(400);
    expect(await nul.json()).toEqual({
      error: { message: 'Row 2: Process must not contain a NUL character. Nothing was imported.' },
    });
    const huge = await post(oneRowWorkbook({ extra: numberCell('C2', '1e300') }));
    expect(huge.status).toBe(400);
    expect((await huge.json()).error.message).toMatch(/^Row 2: PID must be a whole number/);
    const host = await post(oldScriptWorkbook(), 'web\u000001');
    expect(host.status).toBe(400);
    expect((await host.json()).error.message).toBe(
      'The host name must not contain a NUL character. Nothing was imported.',
    );
    const eocd = await post(eocdTrickWorkbook({ partBytes: 2 ** 20 }));
    expect(eocd.status).toBe(400);
    expect(await runs()).toBe(before);
  });

  it('writes nothing for a rejected workbook', async () => {
    const before = (await handle.db.execute('select count(*)::int as n from runs')) as unknown as {
      rows: [{ n: number }];
    };
    const bad = workbookFromRows([
      ['Name', 'MD5'],
      ['ok', OLD_MD5.known],
      ['bad', 'not-a-hash'],
    ]);
    await expect(importWorkbook(handle.db, bad)).rejects.toBeInstanceOf(ImportRejectedError);
    const after = (await handle.db.execute('select count(*)::int as n from runs')) as unknown as {
      rows: [{ n: number }];
    };
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });
});
