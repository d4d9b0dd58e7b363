import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { VT_STAT_KEYS } from '@/server/services/virustotal/types';
import { fakeVtControl } from './control';
import { createFakeVt, DEFAULT_FAKE_VT_KEY, type FakeVt } from './server';
import { EICAR, lookupRaw, UNKNOWN_SHA256 } from './test-utils';

let fake: FakeVt;

beforeAll(async () => {
  fake = await createFakeVt({ perMinute: 0, reports: [{ sha256: 'cd'.repeat(32), malicious: 1, undetected: 2 }] });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

describe('fake VirusTotal: lookups', () => {
  it('listens on 127.0.0.1 with the default key', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.apiKey).toBe(DEFAULT_FAKE_VT_KEY);
  });

  it.each([
    ['sha256', EICAR.sha256],
    ['md5', EICAR.md5],
    ['sha1', EICAR.sha1],
    ['upper-case sha256', EICAR.sha256.toUpperCase()],
  ])('knows EICAR by its %s, answering the full v3 report', async (_form, id) => {
    const r = await lookupRaw(fake, id);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    const { data } = r.file();
    expect(data).toMatchObject({ id: EICAR.sha256, type: 'file' });
    const a = data.attributes;
    expect(a).toMatchObject({ ...EICAR, size: 68, meaningful_name: 'eicar.com' });
    // The fake writes VirusTotal's stat keys out itself (reports.ts); they must be the ones the app reads.
    expect(Object.keys(a.last_analysis_stats).sort()).toEqual([...VT_STAT_KEYS].sort());
    expect(a.last_analysis_stats).toMatchObject({ malicious: 66, undetected: 5, 'type-unsupported': 7, harmless: 0 });
    expect(a.popular_threat_classification?.suggested_threat_label).toBe('virus.eicar/test');
    expect(typeof a.last_analysis_date).toBe('number');

    const engines = Object.values(a.last_analysis_results);
    expect(engines).toHaveLength(78);
    const byCategory = (c: string) => engines.filter((e) => e.category === c);
    expect(byCategory('malicious')).toHaveLength(66);
    expect(byCategory('malicious').every((e) => e.result === 'virus.eicar/test')).toBe(true);
    expect(byCategory('undetected').every((e) => e.result === null)).toBe(true);
    expect(byCategory('type-unsupported')).toHaveLength(7);
    expect(Object.keys(a.last_analysis_results)).toEqual(engines.map((e) => e.engine_name));
  });

  it('answers 404 NotFoundError for a hash it has never seen', async () => {
    const r = await lookupRaw(fake, UNKNOWN_SHA256);
    expect(r.status).toBe(404);
    expect(r.error()).toEqual({ code: 'NotFoundError', message: `File "${UNKNOWN_SHA256}" not found` });
  });

  it('answers 400 InvalidArgumentError for an id that is not a hash', async () => {
    for (const id of ['not-a-hash', 'ab'.repeat(31), 'zz'.repeat(32)]) {
      const r = await lookupRaw(fake, id);
      expect(r.status).toBe(400);
      expect(r.error().code).toBe('InvalidArgumentError');
    }
  });

  it('serves seeds from the constructor and from addReport, by any of their hashes', async () => {
    expect((await lookupRaw(fake, 'cd'.repeat(32))).file().data.attributes.last_analysis_stats).toMatchObject({
      malicious: 1,
      undetected: 2,
    });
    const seed = { sha256: 'EF'.repeat(32), md5: '12'.repeat(16), sha1: '34'.repeat(20), malicious: 0, harmless: 3 };
    fake.addReport(seed);
    const r = await lookupRaw(fake, seed.md5);
    expect(r.status).toBe(200);
    const a = r.file().data.attributes;
    expect(r.file().data.id).toBe('ef'.repeat(32));
    expect(a.popular_threat_classification).toBeUndefined();
    expect(Object.values(a.last_analysis_results).map((e) => e.category)).toEqual(['harmless', 'harmless', 'harmless']);
    expect((await lookupRaw(fake, seed.sha1)).status).toBe(200);
  });

  it('serves a report with no analysis yet: stats all 0, no last_analysis_date', async () => {
    fake.addReport({ sha256: '56'.repeat(32), malicious: 9, noAnalysis: true });
    const a = (await lookupRaw(fake, '56'.repeat(32))).file().data.attributes;
    expect(Object.values(a.last_analysis_stats).every((n) => n === 0)).toBe(true);
    expect(a.last_analysis_date).toBeUndefined();
    expect(a.last_analysis_results).toEqual({});
  });
});

describe('fake VirusTotal: auth and routes', () => {
  it('answers 401 AuthenticationRequiredError without a key and WrongCredentialsError with a wrong one', async () => {
    const none = await lookupRaw(fake, EICAR.sha256, { key: null });
    expect([none.status, none.error().code]).toEqual([401, 'AuthenticationRequiredError']);
    const wrong = await lookupRaw(fake, EICAR.sha256, { key: 'nope' });
    expect([wrong.status, wrong.error().code]).toEqual([401, 'WrongCredentialsError']);
    expect(fake.requests()).toBe(2);
  });

  it('checks the key before quota', async () => {
    fake.setLimits({ perMinute: 1 });
    try {
      expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(200);
      expect((await lookupRaw(fake, EICAR.sha256, { key: 'nope' })).status).toBe(401);
      expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(429);
    } finally {
      fake.setLimits({ perMinute: 0 });
    }
  });

  it('has no upload or other endpoint, and records attempts apart from lookups', async () => {
    const post = await lookupRaw(fake, EICAR.sha256, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    const upload = await fetch(`${fake.url}/api/v3/files`, {
      method: 'POST',
      headers: { 'x-apikey': fake.apiKey },
      body: 'x',
    });
    expect(upload.status).toBe(404);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe('NotFoundError');
    expect((await fetch(`${fake.url}/api/v3/urls/abc`, { headers: { 'x-apikey': fake.apiKey } })).status).toBe(404);
    expect(fake.requests()).toBe(0);
    expect(fake.otherRequests().map((o) => `${o.method} ${o.path} ${o.status}`)).toEqual([
      `POST /api/v3/files/${EICAR.sha256} 405`,
      'POST /api/v3/files 404',
      'GET /api/v3/urls/abc 404',
    ]);
  });

  it('counts every lookup, per hash, normalising md5/sha1 to the sha256', async () => {
    await lookupRaw(fake, EICAR.md5);
    await lookupRaw(fake, EICAR.sha1.toUpperCase());
    await lookupRaw(fake, EICAR.sha256, { key: 'wrong' });
    await lookupRaw(fake, UNKNOWN_SHA256);
    expect(fake.requests()).toBe(4);
    expect(fake.hashRequests(EICAR.sha256)).toBe(3);
    expect(fake.hashRequests(EICAR.md5)).toBe(3);
    expect(fake.hashRequests(UNKNOWN_SHA256.toUpperCase())).toBe(1);
    expect(fake.requestLog().map((e) => [e.hash, e.asked, e.status])).toEqual([
      [EICAR.sha256, EICAR.md5, 200],
      [EICAR.sha256, EICAR.sha1.toUpperCase(), 200],
      [EICAR.sha256, EICAR.sha256, 401],
      [UNKNOWN_SHA256, UNKNOWN_SHA256, 404],
    ]);
    fake.reset();
    expect([fake.requests(), fake.hashRequests(EICAR.sha256), fake.requestLog()]).toEqual([0, 0, []]);
  });
});

describe('fake VirusTotal: control API (for a fake in another process)', () => {
  it('adds reports, sets faults and limits, reports stats and resets', async () => {
    const control = fakeVtControl(fake.url);
    await control.addReports([{ sha256: '78'.repeat(32), malicious: 4, label: 'trojan.fake/x' }]);
    await control.addReports({ sha256: '9a'.repeat(32), malicious: 0, undetected: 1 });
    const found = await lookupRaw(fake, '78'.repeat(32));
    expect(found.file().data.attributes.popular_threat_classification?.suggested_threat_label).toBe('trojan.fake/x');
    expect((await lookupRaw(fake, '9a'.repeat(32))).status).toBe(200);

    await control.setFault({ kind: '503', times: 1 });
    expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(503);
    expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(200);
    await control.setFault({ kind: '403' });
    await control.setFault(null);
    expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(200);

    await control.setLimits({ perMinute: 4 });
    expect((await lookupRaw(fake, EICAR.sha256)).status).toBe(429);
    await control.setLimits({ perMinute: 0 });

    const stats = await control.stats();
    expect(stats.requests).toBe(6);
    expect(stats.perHash[EICAR.sha256]).toBe(4);
    expect(stats.log.map((e) => e.status)).toEqual([200, 200, 503, 200, 200, 429]);

    await control.reset();
    expect((await control.stats()).requests).toBe(0);
    expect((await lookupRaw(fake, '78'.repeat(32))).status).toBe(200);
  });

  it('refuses a malformed seed or fault with 400 and a reason', async () => {
    const control = fakeVtControl(fake.url);
    await expect(control.addReports({ sha256: 'xyz', malicious: 1 })).rejects.toThrow(/HTTP 400.*sha256/s);
    await expect(control.setFault({ kind: 'explode' } as never)).rejects.toThrow(/HTTP 400/);
    const res = await fetch(`${fake.url}/__fake/reports`, { method: 'POST', body: '{not json' });
    expect(res.status).toBe(400);
  });
});
