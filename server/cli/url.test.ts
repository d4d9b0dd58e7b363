import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCESS_FILE } from '@/domain/local-access';
import { cli } from '@/tests/cli';
import { tempDataDir } from '@/tests/helpers';

/** `proclens url`: the access link again, for whoever can read DATA_DIR (issue #17). */
describe('proclens url', () => {
  it('prints the access link, making the token once; the same link every time', async () => {
    const dataDir = path.join(tempDataDir(), 'data');
    const first = await cli(['url'], { DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    const token = fs.readFileSync(path.join(dataDir, LOCAL_ACCESS_FILE), 'utf8').trim();
    expect(first.stdout).toBe(`http://127.0.0.1:3000/?token=${token}\n`);
    expect(fs.statSync(path.join(dataDir, LOCAL_ACCESS_FILE)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    expect((await cli(['url'], { DATA_DIR: dataDir })).stdout).toBe(first.stdout);
    expect((await cli(['url'], { DATA_DIR: dataDir, HOST: '::1', PORT: '4000' })).stdout).toBe(
      `http://[::1]:4000/?token=${token}\n`,
    );
    expect(
      (await cli(['url'], { DATA_DIR: dataDir, PROCLENS_PUBLIC_URL: 'https://proclens.example.org' })).stdout,
    ).toBe(`https://proclens.example.org/?token=${token}\n`);
  });

  it('uses the address the running server recorded in its lock file', async () => {
    const dataDir = tempDataDir();
    const lock = {
      pid: process.pid,
      pidStart: null,
      kind: 'server',
      url: 'http://127.0.0.1:4555',
      token: 't',
      acquiredAt: '',
    };
    fs.writeFileSync(path.join(dataDir, 'proclens.lock'), JSON.stringify(lock), { mode: 0o600 });
    const r = await cli(['url'], { DATA_DIR: dataDir });
    expect(r.stdout).toMatch(/^http:\/\/127\.0\.0\.1:4555\/\?token=[A-Za-z0-9_-]{43}\n$/);
  });

  it('without the token (PROCLENS_LOCAL_AUTH=off, hosted mode): the plain address, no token made', async () => {
    const dataDir = tempDataDir();
    const off = await cli(['url'], { DATA_DIR: dataDir, PROCLENS_LOCAL_AUTH: 'off' });
    expect(off.code).toBe(0);
    expect(off.stdout).toBe('http://127.0.0.1:3000/\n');
    expect(off.stderr).toMatch(/PROCLENS_LOCAL_AUTH=off/);
    const hosted = await cli(['url'], {
      DATA_DIR: dataDir,
      PROCLENS_MODE: 'hosted',
      DATABASE_URL: 'postgres://proclens@127.0.0.1:9/proclens',
      AUTH_SECRET: 'a'.repeat(32),
      PROCLENS_PUBLIC_URL: 'https://proclens.example.org',
    });
    expect(hosted.code, hosted.stderr).toBe(0);
    expect(hosted.stdout).toBe('https://proclens.example.org/\n');
    expect(hosted.stderr).toMatch(/sign in/);
    expect(fs.existsSync(path.join(dataDir, LOCAL_ACCESS_FILE))).toBe(false);
    expect((await cli(['url', '--json'], { DATA_DIR: dataDir })).code).toBe(2);
  });
});
