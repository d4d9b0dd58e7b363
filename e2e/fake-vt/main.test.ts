import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { EICAR, lookupRaw } from './test-utils';

const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts the CLI the way Playwright does and waits for its "listening" line. */
function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'e2e/fake-vt/main.ts', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /fake-vt listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    void exited.then((code) => reject(new Error(`fake-vt exited (${code}) before listening:\n${out}`)));
  });
  return { child, url, exited, output: () => out };
}

describe('fake VirusTotal CLI (main.ts)', () => {
  it('serves with the flags given and stops cleanly on SIGTERM', async () => {
    const cli = startCli(['--port', '0', '--key', 'cli-key-0123456789', '--per-minute', '1']);
    const url = await cli.url;
    expect((await lookupRaw({ url, apiKey: 'cli-key-0123456789' }, EICAR.md5)).status).toBe(200);
    expect((await lookupRaw({ url, apiKey: 'cli-key-0123456789' }, EICAR.md5)).status).toBe(429);
    expect((await lookupRaw({ url, apiKey: 'test-key-0123456789abcdef' }, EICAR.md5)).status).toBe(401);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('reads FAKE_VT_* from the environment', async () => {
    const cli = startCli([], { FAKE_VT_PORT: '0', FAKE_VT_KEY: 'env-key-0123456789', FAKE_VT_PER_MINUTE: '0' });
    const url = await cli.url;
    for (let i = 0; i < 6; i++) {
      expect((await lookupRaw({ url, apiKey: 'env-key-0123456789' }, EICAR.sha1)).status).toBe(200);
    }
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('refuses a bad number', async () => {
    const cli = startCli(['--per-minute', 'lots']);
    cli.url.catch(() => undefined);
    expect(await cli.exited).toBe(2);
    expect(cli.output()).toContain('--per-minute must be a whole number');
  });
});
