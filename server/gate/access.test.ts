import { describe, expect, it } from 'vitest';
import { LOCAL_ACCESS_REQUIRED } from '@/domain/local-access';
import { decideAccess, pathRule, type AccessLookups, type AccessMode, type AccessRequest } from './access';

const ORIGIN = 'http://127.0.0.1:3000';
const HOSTED: AccessMode = { mode: 'hosted' };
const LOCAL: AccessMode = { mode: 'local', tokenRequired: true };
const LOCAL_OFF: AccessMode = { mode: 'local', tokenRequired: false };
const SECRET = 's'.repeat(43);

function req(method: string, target: string): AccessRequest {
  const url = new URL(target, ORIGIN);
  return { method, pathname: url.pathname, search: url.search, origin: ORIGIN };
}

/** Lookups with fixed answers that record which were asked. */
function lookups(opts: { credential?: 'valid' | 'invalid' | 'absent'; session?: 'valid' | 'absent' | 'throws' } = {}) {
  const asked: string[] = [];
  const l: AccessLookups = {
    localCredential() {
      asked.push('credential');
      return opts.credential ?? 'absent';
    },
    linkCookie(token) {
      asked.push('link');
      return token === SECRET ? { name: 'proclens_access_3000', value: 'derived' } : null;
    },
    async session() {
      asked.push('session');
      if (opts.session === 'throws') throw new Error('database down');
      return opts.session === 'valid' ? 'valid' : 'absent';
    },
  };
  return { l, asked };
}

describe('hosted mode: pages need a real session', () => {
  it('an anonymous page gets 307 to /sign-in with itself as next, never the shell', async () => {
    for (const target of ['/', '/runs', '/hosts', '/prevalence', '/settings', '/tokens', '/runs/12?view=executables']) {
      const d = await decideAccess(req('GET', target), HOSTED, lookups().l);
      expect(d, target).toEqual({
        kind: 'redirect',
        location: `/sign-in?next=${encodeURIComponent(target)}`,
        setCookie: null,
      });
    }
    expect((await decideAccess(req('HEAD', '/runs'), HOSTED, lookups().l)).kind).toBe('redirect');
    expect(await decideAccess(req('POST', '/settings'), HOSTED, lookups().l)).toMatchObject({ status: 401 });
  });

  it('a page whose path would lead elsewhere gets next=/', async () => {
    for (const pathname of ['//evil.test/x', '/\\evil.test', '/.//evil.test', '/%5Cevil.test', '/%09/evil.test']) {
      const d = await decideAccess({ method: 'GET', pathname, search: '', origin: ORIGIN }, HOSTED, lookups().l);
      expect(d, pathname).toMatchObject({ kind: 'redirect', location: '/sign-in?next=%2F' });
    }
  });

  it('a valid session passes; the lookup failing is a 503, not a pass', async () => {
    expect(await decideAccess(req('GET', '/runs'), HOSTED, lookups({ session: 'valid' }).l)).toEqual({ kind: 'pass' });
    expect(await decideAccess(req('GET', '/runs'), HOSTED, lookups({ session: 'throws' }).l)).toMatchObject({
      kind: 'refuse',
      status: 503,
    });
  });

  it('sign-in, its API, health and static files are open; the rest of /api answers from its role builders', async () => {
    for (const target of [
      '/sign-in',
      '/sign-in?next=/runs',
      '/api/auth/sign-in/email',
      '/api/health',
      '/_next/static/chunks/a.js',
      '/theme.js',
    ]) {
      const { l, asked } = lookups();
      expect(await decideAccess(req('GET', target), HOSTED, l), target).toEqual({ kind: 'pass' });
      expect(asked, target).toEqual([]);
    }
    for (const target of ['/api/trpc/runs.list', '/api/runs/1/workbook', '/api/ingest']) {
      expect(pathRule('GET', target, HOSTED), target).toBe('own-check');
    }
    // No local token in hosted mode: `?token=` is just a query parameter.
    const { l, asked } = lookups();
    expect((await decideAccess(req('GET', `/?token=${SECRET}`), HOSTED, l)).kind).toBe('redirect');
    expect(asked).toEqual(['session']);
  });
});

describe('local mode: everything needs the access token', () => {
  it('without it: the explanation page for pages, JSON for the API, 401 either way', async () => {
    for (const target of ['/', '/runs', '/settings', '/tokens', '/sign-in', '/no-such-page']) {
      const d = await decideAccess(req('GET', target), LOCAL, lookups().l);
      expect(d, target).toMatchObject({ kind: 'refuse', status: 401, contentType: 'text/html; charset=utf-8' });
      if (d.kind === 'refuse') {
        expect(d.body).toContain('npx proclens url');
        expect(d.body).not.toContain('<script');
      }
    }
    for (const [method, target] of [
      ['GET', '/api/trpc/runs.list'],
      ['POST', '/api/trpc/vt.removeApiKey'],
      ['GET', '/api/runs/1/run.json'],
      ['POST', '/api/imports'],
      ['GET', '/api/ingest'],
      ['POST', '/api/auth/sign-in/email'],
    ] as const) {
      const d = await decideAccess(req(method, target), LOCAL, lookups({ credential: 'invalid' }).l);
      expect(d, target).toMatchObject({ kind: 'refuse', status: 401, contentType: 'application/json; charset=utf-8' });
      if (d.kind === 'refuse') expect(JSON.parse(d.body)).toEqual({ error: { message: LOCAL_ACCESS_REQUIRED } });
    }
  });

  it('with the cookie or bearer token: passes', async () => {
    for (const target of ['/', '/api/trpc/runs.list', '/api/runs/1/workbook']) {
      expect(await decideAccess(req('GET', target), LOCAL, lookups({ credential: 'valid' }).l)).toEqual({
        kind: 'pass',
      });
    }
  });

  it('the printed link sets an HttpOnly, SameSite=Strict cookie and redirects to the same URL without the token', async () => {
    const d = await decideAccess(req('GET', `/runs/4?sort=name&token=${SECRET}&view=x`), LOCAL, lookups().l);
    expect(d).toEqual({
      kind: 'redirect',
      location: '/runs/4?sort=name&view=x',
      setCookie: 'proclens_access_3000=derived; Path=/; Max-Age=2592000; HttpOnly; SameSite=Strict',
    });
    expect(await decideAccess(req('GET', `/?token=${SECRET}`), LOCAL, lookups().l)).toMatchObject({ location: '/' });
    const https = await decideAccess(
      { method: 'GET', pathname: '/', search: `?token=${SECRET}`, origin: 'https://proclens.example.org' },
      LOCAL,
      lookups().l,
    );
    expect(https.kind === 'redirect' && https.setCookie).toMatch(/; Secure$/);
  });

  it('a wrong token in the link: 401 page saying so, even beside a valid cookie; never on the API', async () => {
    const d = await decideAccess(req('GET', '/?token=wrong'), LOCAL, lookups({ credential: 'valid' }).l);
    expect(d).toMatchObject({ kind: 'refuse', status: 401 });
    if (d.kind === 'refuse') {
      expect(d.body).toContain('not this server');
      expect(d.body).not.toContain('wrong');
    }
    // A token in an API URL is no credential.
    expect(await decideAccess(req('GET', `/api/trpc/runs.list?token=${SECRET}`), LOCAL, lookups().l)).toMatchObject({
      status: 401,
    });
  });

  it('health, static files and the CLI hand-over (POST /api/ingest, its own token) need no cookie', async () => {
    for (const [method, target] of [
      ['GET', '/api/health'],
      ['GET', '/_next/static/chunks/app.js'],
      ['GET', '/icon.svg'],
      ['POST', '/api/ingest'],
    ] as const) {
      const { l, asked } = lookups();
      expect(await decideAccess(req(method, target), LOCAL, l), target).toEqual({ kind: 'pass' });
      expect(asked).toEqual([]);
    }
  });

  it('PROCLENS_LOCAL_AUTH=off: every request passes, no lookup made', async () => {
    for (const target of ['/', '/api/trpc/vt.removeApiKey', '/?token=anything']) {
      const { l, asked } = lookups();
      expect(await decideAccess(req('GET', target), LOCAL_OFF, l)).toEqual({ kind: 'pass' });
      expect(asked).toEqual([]);
    }
  });
});
