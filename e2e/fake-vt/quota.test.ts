import { afterEach, describe, expect, it } from 'vitest';
import { createFakeVt, type FakeVt, type FakeVtOptions } from './server';
import { EICAR, lookupRaw, UNKNOWN_SHA256 } from './test-utils';

/** Quotas run on an injected clock: tests move time instead of sleeping. */
const NOON = Date.UTC(2024, 5, 1, 12, 0, 0);
let t = NOON;
let fake: FakeVt | undefined;

async function start(opts: FakeVtOptions): Promise<FakeVt> {
  t = NOON;
  fake = await createFakeVt({ now: () => t, ...opts });
  return fake;
}

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function statuses(f: FakeVt, n: number, id: string = EICAR.sha256): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await lookupRaw(f, id)).status);
  return out;
}

describe('fake VirusTotal: per-minute quota', () => {
  it('defaults to VirusTotal public-key limits: 4 a minute', async () => {
    const f = await start({});
    expect(await statuses(f, 5)).toEqual([200, 200, 200, 200, 429]);
  });

  it('answers 429 TooManyRequestsError after N lookups in a minute, counting 404s too', async () => {
    const f = await start({ perMinute: 3 });
    expect(await statuses(f, 2)).toEqual([200, 200]);
    expect(await statuses(f, 1, UNKNOWN_SHA256)).toEqual([404]);
    const r = await lookupRaw(f, EICAR.sha256);
    expect(r.status).toBe(429);
    expect(r.error().code).toBe('TooManyRequestsError');
    expect(f.requests()).toBe(4);
  });

  it('is a sliding 60-second window, and rate-limited answers do not use quota', async () => {
    const f = await start({ perMinute: 3 });
    await statuses(f, 1); // t = 0
    t += 30_000;
    await statuses(f, 2); // t = 30 s
    t += 29_000;
    expect(await statuses(f, 3)).toEqual([429, 429, 429]); // t = 59 s: window full
    t += 1_001;
    expect(await statuses(f, 2)).toEqual([200, 429]); // t = 60.001 s: only the first lookup left the window
    t += 30_000;
    expect(await statuses(f, 3)).toEqual([200, 200, 429]); // the two from 30 s have left
  });

  it('auth failures and faulted errors do not use quota; a malformed 200 does', async () => {
    const f = await start({ perMinute: 2 });
    await lookupRaw(f, EICAR.sha256, { key: 'wrong' });
    await lookupRaw(f, EICAR.sha256, { key: null });
    f.setFault({ kind: '503', times: 2 });
    expect(await statuses(f, 2)).toEqual([503, 503]);
    f.setFault({ kind: 'malformed', times: 1 });
    expect(await statuses(f, 3)).toEqual([200, 200, 429]);
  });

  it('setLimits changes the rate at once; 0 means unlimited; resetQuota empties the window', async () => {
    const f = await start({ perMinute: 1 });
    expect(await statuses(f, 2)).toEqual([200, 429]);
    f.resetQuota();
    expect(await statuses(f, 2)).toEqual([200, 429]);
    f.setLimits({ perMinute: 0 });
    expect((await statuses(f, 20)).every((s) => s === 200)).toBe(true);
  });
});

describe('fake VirusTotal: daily quota', () => {
  it('answers 429 QuotaExceededError once the day is used up, until 00:00 UTC', async () => {
    const f = await start({ perMinute: 0, perDay: 3 });
    expect(await statuses(f, 3)).toEqual([200, 200, 200]);
    const r = await lookupRaw(f, EICAR.sha256);
    expect(r.status).toBe(429);
    expect(r.error().code).toBe('QuotaExceededError');
    expect(r.error().message).toMatch(/daily quota/i);

    t = Date.UTC(2024, 5, 1, 23, 59, 59, 999);
    expect(await statuses(f, 1)).toEqual([429]);
    t = Date.UTC(2024, 5, 2, 0, 0, 0);
    expect(await statuses(f, 4)).toEqual([200, 200, 200, 429]);
  });

  it('says "daily" rather than "per minute" when both limits are hit', async () => {
    const f = await start({ perMinute: 2, perDay: 2 });
    await statuses(f, 2);
    expect((await lookupRaw(f, EICAR.sha256)).error().code).toBe('QuotaExceededError');
  });

  it('defaults to 500 a day', async () => {
    const f = await start({ perMinute: 0 });
    const answered = await statuses(f, 500);
    expect(answered.every((s) => s === 200)).toBe(true);
    t = Date.UTC(2024, 5, 1, 23, 0, 0);
    expect(await statuses(f, 1)).toEqual([429]);
  });
});
