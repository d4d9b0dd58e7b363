import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeVt, type FakeVt } from '@/e2e/fake-vt/server';
import { cli } from '@/tests/cli';
import { fakeHashes } from '@/tests/fixtures';
import { tempDataDir } from '@/tests/helpers';
import { eocdTrickWorkbook, nulWorkbook } from '@/tests/hostile-workbooks';
import { OLD_MD5, oldScriptWorkbook } from '@/tests/import-fixtures';

/** `proclens check --workbook FILE` as a user runs it: a real process, the fake VirusTotal over HTTP. */
let fake: FakeVt;
const KNOWN = { ...fakeHashes('sshd-binary'), md5: OLD_MD5.known };

beforeAll(async () => {
  fake = await createFakeVt({ perMinute: 0, perDay: 0 });
  fake.addReport({ sha256: KNOWN.sha256, md5: KNOWN.md5, sha1: KNOWN.sha1, malicious: 5, undetected: 60 });
});
afterAll(() => fake.close());

const vtEnv = (dataDir: string) => ({
  DATA_DIR: dataDir,
  VT_BASE_URL: fake.url,
  VT_API_KEY: fake.apiKey,
  VT_REQUESTS_PER_MINUTE: '600',
});

// Whole processes that create a database: generous limits for a loaded machine (no timing is asserted).
describe('proclens check --workbook', { timeout: 300_000 }, () => {
  it('imports the older script workbook, looks its MD5s up, writes vt_results.txt and the JSON', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, 'All_process_hash_real_time_2024-05-01.xlsx');
    fs.writeFileSync(file, oldScriptWorkbook());
    const txt = path.join(dataDir, 'out', 'vt_results.txt');
    const r = await cli(['check', '--workbook', file, '--txt', txt, '--json'], vtEnv(dataDir));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /imported .* as run 1 \(host unknown host\): 4 processes, 0 executables by SHA-256, 2 by MD5 only, 1 without a hash/,
    );
    expect(r.stderr).toMatch(/2 of 2 hashes checked/);
    expect(
      fake
        .requestLog()
        .map((x) => x.asked)
        .sort(),
    ).toEqual([OLD_MD5.known, OLD_MD5.notFound].sort());

    const expected = [
      'sshd - malicious',
      '=cmd|calc - The secure score is not found',
      'sshd - malicious',
      '',
      '# Not checked (1 process):',
      '# kthreadd - not hashed (unknown)',
      '',
    ].join('\n');
    expect(fs.readFileSync(txt, 'utf8')).toBe(expected);

    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['import', 'run', 'hashes', 'lines']);
    expect(doc.import).toEqual({
      runId: 1,
      hostname: 'unknown host',
      shape: 'md5-only',
      processes: 4,
      executables: 0,
      md5Only: 2,
      notHashed: 1,
    });
    expect(doc.hashes.map((h: { sha256: string; vtScore: number }) => [h.sha256, h.vtScore])).toEqual([
      [KNOWN.sha256, 5],
    ]);
    expect(doc.lines).toEqual(expected.split('\n').filter((l) => l !== ''));

    // The same workbook again: the MD5 is known now, so only the unknown one is asked again (not
    // at all while its "not found" is fresh).
    const again = await cli(['check', '--workbook', file, '--json'], vtEnv(dataDir));
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).import).toMatchObject({ runId: 2, executables: 1, md5Only: 1 });
    expect(fake.requestLog()).toHaveLength(2);
  });

  it('refuses a file that is not a workbook with a sentence, storing nothing', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, 'hashes.csv');
    fs.writeFileSync(file, 'Process Name,MD5\nsshd,c4ca4238a0b923820dcc509a6f75849b\n');
    const r = await cli(['check', '--workbook', file], vtEnv(dataDir));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/This is a text file \(CSV\?\), not a workbook/);
    const runs = await cli(['runs', '--json'], { DATA_DIR: dataDir });
    expect(JSON.parse(runs.stdout)).toEqual({ runs: [] });
  });

  it('refuses the issue #17 zip trick and a NUL name with their sentences, storing nothing', async () => {
    const dataDir = tempDataDir();
    const trick = path.join(dataDir, 'trick.xlsx');
    fs.writeFileSync(trick, eocdTrickWorkbook({ partBytes: 64 * 2 ** 20 }));
    const r = await cli(['check', '--workbook', trick], vtEnv(dataDir));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/The workbook is not imported: it has data after the end of its zip directory\./);
    const nul = path.join(dataDir, 'nul.xlsx');
    fs.writeFileSync(nul, nulWorkbook());
    const n = await cli(['check', '--workbook', nul], vtEnv(dataDir));
    expect(n.code).not.toBe(0);
    expect(n.stderr).toMatch(/Row 2: Process must not contain a NUL character\. Nothing was imported\./);
    const runs = await cli(['runs', '--json'], { DATA_DIR: dataDir });
    expect(JSON.parse(runs.stdout)).toEqual({ runs: [] });
  });

  it('says so when the file does not exist, and refuses --workbook with --run', async () => {
    const dataDir = tempDataDir();
    const missing = await cli(['check', '--workbook', path.join(dataDir, 'nope.xlsx')], vtEnv(dataDir));
    expect(missing.stderr).toMatch(/Cannot read .*nope\.xlsx: ENOENT/);
    const both = await cli(['check', '--workbook', 'x.xlsx', '--run', '1'], vtEnv(dataDir));
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/Give one of --run ID, --latest or --workbook FILE/);
  });
});
