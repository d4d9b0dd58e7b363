import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFakeVt, type FakeVt, type Fault } from './server';
import { EICAR, lookupRaw } from './test-utils';

let fake: FakeVt;

beforeAll(async () => {
  fake = await createFakeVt({ perMinute: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('fake VirusTotal: faults', () => {
  it.each<[Fault['kind'], number, string]>([
    ['429-json', 429, 'TooManyRequestsError'],
    ['429-daily', 429, 'QuotaExceededError'],
    ['503', 503, 'TransientError'],
    ['504', 504, 'DeadlineExceededError'],
    ['401', 401, 'WrongCredentialsError'],
    ['403', 403, 'ForbiddenError'],
    ['400-not-ready', 400, 'NotAvailableYet'],
  ])('%s answers HTTP %i with VirusTotal code %s, even with the right key', async (kind, status, code) => {
    fake.setFault({ kind } as Fault);
    const r = await lookupRaw(fake, EICAR.sha256);
    expect(r.status).toBe(status);
    expect(r.error().code).toBe(code);
  });

  it('429-daily says the daily quota is exceeded', async () => {
    fake.setFault({ kind: '429-daily' });
    expect((await lookupRaw(fake, EICAR.sha256)).error().message).toMatch(/daily quota/i);
  });

  it('429-empty answers 429 with no body at all', async () => {
    fake.setFault({ kind: '429-empty' });
    const r = await lookupRaw(fake, EICAR.sha256);
    expect(r.status).toBe(429);
    expect(r.text).toBe('');
    expect(r.headers.get('content-type')).toBeNull();
  });

  it('500 answers a generic, non-JSON error page', async () => {
    fake.setFault({ kind: '500' });
    const r = await lookupRaw(fake, EICAR.sha256);
    expect(r.status).toBe(500);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('malformed answers 200 with a body that is not JSON', async () => {
    fake.setFault({ kind: 'malformed' });
    const r = await lookupRaw(fake, EICAR.sha256);
    expect(r.status).toBe(200);
    expect(() => JSON.parse(r.text)).toThrow();
  });

  it('slow holds the answer back past a client timeout, then answers normally', async () => {
    fake.setFault({ kind: 'slow', delayMs: 400, times: 2 });
    await expect(lookupRaw(fake, EICAR.sha256, { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    const started = performance.now();
    const r = await lookupRaw(fake, EICAR.sha256);
    expect(r.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(r.file().data.id).toBe(EICAR.sha256);
    expect(fake.requestLog().map((e) => e.status)).toEqual([200, 200]);
  });

  it('`times` limits how many lookups a fault affects; without it the fault lasts until cleared', async () => {
    fake.setFault({ kind: '503', times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await lookupRaw(fake, EICAR.sha256)).status);
    expect(statuses).toEqual([503, 503, 200]);

    fake.setFault({ kind: '504' });
    for (let i = 0; i < 5; i++) expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(504);
    fake.setFault(null);
    expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(200);
  });

  it('a wrong key is still a 401 WrongCredentialsError during a fault, and does not use up the fault', async () => {
    fake.setFault({ kind: '503', times: 1 });
    expect((await lookupRaw(fake, EICAR.sha256, { key: 'wrong' })).error().code).toBe('WrongCredentialsError');
    expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(503);
  });

  it('faulted lookups are counted as requests', async () => {
    fake.setFault({ kind: '429-empty', times: 2 });
    await lookupRaw(fake, EICAR.md5);
    await lookupRaw(fake, EICAR.md5);
    await lookupRaw(fake, EICAR.md5);
    expect(fake.requests()).toBe(3);
    expect(fake.hashRequests(EICAR.sha256)).toBe(3);
    expect(fake.requestLog().map((e) => e.status)).toEqual([429, 429, 200]);
  });

  it('close() does not wait for a held slow answer', async () => {
    const other = await createFakeVt({ perMinute: 0 });
    other.setFault({ kind: 'slow', delayMs: 60_000 });
    const pending = lookupRaw(other, EICAR.sha256).catch((e: unknown) => e);
    for (const deadline = Date.now() + 5_000; other.requests() === 0 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 10)); // until the request has reached the server
    }
    expect(other.requests()).toBe(1);
    const started = performance.now();
    await other.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await pending).toBeInstanceOf(Error);
  });
});
