import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeVt, type FakeVt, type Fault } from '@/e2e/fake-vt/server';
import { lookupFile } from './client';
import { validateVtBaseUrl, VtConfigError } from '@/domain/vt-settings';
import type { VtClientOptions, VtLookupResult } from './types';
import { vtGuiLink } from '@/domain/verdict';

/** Over real HTTP against the fake on 127.0.0.1; a guard makes any other destination fail the test. */

const KEY = 'secret-key-9f8e7d6c5b4a39281706';
const EICAR = {
  md5: '44d88612fea8a8f36de82e1278abb02f',
  sha1: '3395856ce81f2b7382dee72602f798b642f14140',
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
};
const UNKNOWN = 'ab'.repeat(32);

let fake: FakeVt;
const sent: Array<{ url: string; method: string; headers: Headers }> = [];
const guardedFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`test tried to reach ${url}`);
  sent.push({ url, method: init?.method ?? 'GET', headers: new Headers(init?.headers) });
  return fetch(input, init);
};

function options(extra: Partial<VtClientOptions> = {}): VtClientOptions {
  return { baseUrl: fake.url, apiKey: KEY, timeoutMs: 5_000, fetchImpl: guardedFetch, ...extra };
}

/** Every result any test sees passes through here, and none may carry the key. */
async function lookup(hash: string, extra: Partial<VtClientOptions> = {}): Promise<VtLookupResult> {
  const result = await lookupFile(hash, options(extra));
  expect(JSON.stringify(result)).not.toContain(KEY);
  return result;
}

beforeAll(async () => {
  fake = await createFakeVt({ apiKey: KEY, perMinute: 0 });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setLimits({ perMinute: 0, perDay: 0 });
  sent.length = 0;
});

describe('lookupFile: answers', () => {
  it.each(Object.entries(EICAR))('finds EICAR by its %s: VTScore 66 of 78 engines, labelled', async (_form, hash) => {
    const r = await lookup(hash);
    if (r.kind !== 'found') throw new Error(`expected found, got ${JSON.stringify(r)}`);
    expect(r.report).toMatchObject({
      sha256: EICAR.sha256,
      md5: EICAR.md5,
      sha1: EICAR.sha1,
      vtScore: 66,
      totalEngines: 78,
      threatLabel: 'virus.eicar/test',
      link: vtGuiLink(EICAR.sha256),
    });
    expect(r.report.engines[0]?.category).toBe('malicious');
    expect(r.report.engines.at(-1)?.category).not.toBe('malicious');
  });

  it('sends one GET with the key header and accept: application/json, lower-casing the hash', async () => {
    await lookup(EICAR.sha256.toUpperCase());
    expect(sent).toHaveLength(1);
    expect(sent[0]?.method).toBe('GET');
    expect(sent[0]?.url).toBe(`${fake.url}/api/v3/files/${EICAR.sha256}`);
    expect(sent[0]?.headers.get('x-apikey')).toBe(KEY);
    expect(sent[0]?.headers.get('accept')).toBe('application/json');
    expect(fake.otherRequests()).toEqual([]);
  });

  it('reports a hash VirusTotal has never seen as not-found', async () => {
    expect(await lookup(UNKNOWN)).toEqual({ kind: 'not-found' });
    expect(fake.hashRequests(UNKNOWN)).toBe(1);
  });

  it('reads a report with no analysis yet', async () => {
    fake.addReport({ sha256: 'cd'.repeat(32), malicious: 3, noAnalysis: true });
    const r = await lookup('cd'.repeat(32));
    expect(r).toMatchObject({ kind: 'found', report: { vtScore: 0, totalEngines: 0, lastAnalysisAt: null } });
  });

  it('rejects a string that is not a hash without sending anything', async () => {
    for (const bad of ['', 'xyz', 'ab'.repeat(31), `${EICAR.md5} `, `${EICAR.md5}/../x`, 'zz'.repeat(16)]) {
      expect((await lookup(bad)).kind).toBe('rejected');
    }
    expect(sent).toHaveLength(0);
  });
});

describe('lookupFile: the error table', () => {
  it('maps a wrong key to auth (401 WrongCredentialsError)', async () => {
    const r = await lookup(EICAR.sha256, { apiKey: 'wrong-key-0000000000' });
    expect(r).toMatchObject({ kind: 'auth', status: 401, code: 'WrongCredentialsError' });
  });

  it('answers auth without a request when no key is set or it cannot be a key', async () => {
    expect(await lookup(EICAR.sha256, { apiKey: '' })).toMatchObject({
      kind: 'auth',
      code: 'AuthenticationRequiredError',
    });
    const withNewline = await lookupFile(EICAR.sha256, options({ apiKey: `${KEY}\r\nx-evil: 1` }));
    expect(withNewline).toMatchObject({ kind: 'auth', status: 401 });
    expect(JSON.stringify(withNewline)).not.toContain(KEY);
    expect(sent).toHaveLength(0);
  });

  it.each<[Fault, Partial<VtLookupResult>]>([
    [{ kind: '429-json' }, { kind: 'rate-limited', daily: false }],
    [{ kind: '429-daily' }, { kind: 'rate-limited', daily: true }],
    [{ kind: '429-empty' }, { kind: 'rate-limited', daily: false }],
    [{ kind: '401' }, { kind: 'auth', status: 401, code: 'WrongCredentialsError' }],
    [{ kind: '403' }, { kind: 'auth', status: 403, code: 'ForbiddenError' }],
    [{ kind: '400-not-ready' }, { kind: 'transient' }],
    [{ kind: '500' }, { kind: 'transient' }],
    [{ kind: '503' }, { kind: 'transient' }],
    [{ kind: '504' }, { kind: 'transient' }],
    [{ kind: 'malformed' }, { kind: 'transient' }],
  ])('maps fault %o to %o', async (fault, expected) => {
    fake.setFault(fault);
    const r = await lookup(EICAR.sha256);
    expect(r).toMatchObject(expected);
    expect(r).toHaveProperty('message', expect.any(String));
  });

  it('says why: VirusTotal codes and the kind of failure end up in the message', async () => {
    fake.setFault({ kind: '503' });
    expect(await lookup(EICAR.sha256)).toMatchObject({ message: expect.stringContaining('HTTP 503 TransientError') });
    fake.setFault({ kind: 'malformed' });
    expect(await lookup(EICAR.sha256)).toMatchObject({ message: expect.stringContaining('malformed response') });
    fake.setFault({ kind: '429-empty' });
    expect(await lookup(EICAR.sha256)).toMatchObject({ message: expect.stringContaining('no body') });
  });

  it('times out a slow answer as transient', async () => {
    fake.setFault({ kind: 'slow', delayMs: 3_000 });
    const r = await lookup(EICAR.sha256, { timeoutMs: 300 });
    expect(r).toEqual({ kind: 'transient', message: expect.stringContaining('timed out after 300 ms') });
  });

  it('follows the real quota: per-minute then daily', async () => {
    fake.setLimits({ perMinute: 1 });
    await lookup(EICAR.sha256);
    expect(await lookup(EICAR.sha256)).toMatchObject({ kind: 'rate-limited', daily: false });
    fake.resetQuota();
    fake.setLimits({ perMinute: 0, perDay: 1 });
    await lookup(EICAR.sha256);
    expect(await lookup(EICAR.sha256)).toMatchObject({ kind: 'rate-limited', daily: true });
  });

  it('treats a refused connection as transient', async () => {
    const gone = await createFakeVt();
    const url = gone.url;
    await gone.close();
    expect(await lookup(EICAR.sha256, { baseUrl: url })).toMatchObject({
      kind: 'transient',
      message: expect.stringContaining('network error'),
    });
  });
});

/** Answers VirusTotal (or something in its place) could give that the fake does not. */
function stubbed(status: number, body: string, headers: Record<string, string> = {}): typeof fetch {
  return async () => new Response(body === '' ? null : body, { status, headers });
}
const vtError = (code: string, message = 'm') => JSON.stringify({ error: { code, message } });

describe('lookupFile: answers beyond the fake', () => {
  it.each<[string, number, string, Partial<VtLookupResult>]>([
    ['400 InvalidArgumentError', 400, vtError('InvalidArgumentError'), { kind: 'rejected' }],
    ['400 BadRequestError', 400, vtError('BadRequestError'), { kind: 'rejected' }],
    ['401 UserNotActiveError', 401, vtError('UserNotActiveError'), { kind: 'auth', code: 'UserNotActiveError' }],
    ['401 without a body', 401, '', { kind: 'auth', status: 401 }],
    ['404 that is not VirusTotal (wrong base URL)', 404, '<html>Not Found</html>', { kind: 'transient' }],
    ['302 redirect', 302, '', { kind: 'transient' }],
    ['502 from a proxy', 502, 'Bad Gateway', { kind: 'transient' }],
    [
      '200 with a report missing its stats',
      200,
      JSON.stringify({ data: { id: UNKNOWN, attributes: {} } }),
      { kind: 'transient' },
    ],
  ])('maps %s', async (_what, status, body, expected) => {
    expect(await lookup(EICAR.sha256, { fetchImpl: stubbed(status, body) })).toMatchObject(expected);
  });

  it('never lets the key out, even when the server or fetch repeats it', async () => {
    const echoes: Array<typeof fetch> = [
      stubbed(401, vtError('WrongCredentialsError', `Wrong API key ${KEY}`)),
      stubbed(429, vtError('QuotaExceededError', `quota of ${KEY} used`)),
      stubbed(400, vtError('InvalidArgumentError', `bad ${KEY}`)),
      stubbed(503, vtError('TransientError', KEY)),
      async () => {
        throw new TypeError('fetch failed', { cause: new Error(`header x-apikey: ${KEY} is invalid`) });
      },
    ];
    for (const fetchImpl of echoes) {
      const r = await lookup(EICAR.sha256, { fetchImpl });
      expect(r).toHaveProperty('message', expect.stringContaining('[redacted]'));
    }
  });

  it('throws VtConfigError for a bad base URL or timeout, without the URL in the message', async () => {
    const withPassword = 'https://user:hunter2-password@vt.example';
    await expect(lookupFile(EICAR.sha256, options({ baseUrl: withPassword }))).rejects.toThrow(VtConfigError);
    await expect(lookupFile(EICAR.sha256, options({ baseUrl: withPassword }))).rejects.not.toThrow(/hunter2/);
    await expect(lookupFile(EICAR.sha256, options({ timeoutMs: 0 }))).rejects.toThrow(VtConfigError);
    expect(sent).toHaveLength(0);
  });
});

describe('validateVtBaseUrl', () => {
  it.each([
    ['https://www.virustotal.com', 'https://www.virustotal.com'],
    ['https://www.virustotal.com/', 'https://www.virustotal.com'],
    [' http://127.0.0.1:8080// ', 'http://127.0.0.1:8080'],
    ['https://proxy.example/vt/', 'https://proxy.example/vt'],
    ['HTTPS://WWW.VirusTotal.com', 'https://www.virustotal.com'],
  ])('accepts %s as %s', (raw, expected) => {
    expect(validateVtBaseUrl(raw)).toBe(expected);
  });

  it.each([
    ['not a URL', 'virustotal.com', /absolute http/],
    ['another scheme', 'ftp://www.virustotal.com', /http:\/\/ or https:\/\//],
    ['javascript:', 'javascript:alert(1)', /http:\/\/ or https:\/\//],
    ['credentials', 'https://key:secret@www.virustotal.com', /credentials/],
    ['a user name', 'https://someone@www.virustotal.com', /credentials/],
    ['a query', 'https://www.virustotal.com/?apikey=1', /query or fragment/],
    ['an empty query', 'https://www.virustotal.com/?', /query or fragment/],
    ['a fragment', 'https://www.virustotal.com/#x', /query or fragment/],
  ])('refuses %s', (_what, raw, message) => {
    expect(() => validateVtBaseUrl(raw)).toThrow(message);
    try {
      validateVtBaseUrl(raw);
    } catch (e) {
      expect((e as Error).message).not.toContain('secret');
    }
  });
});
