import * as pageStaticInfo from 'next/dist/build/analysis/get-page-static-info';
import { describe, expect, it } from 'vitest';
import nextConfig from '@/next.config';
import { config as proxyConfig } from '@/proxy';
import { PROXY_BODY_BUFFER_BYTES, STREAMED_ROUTES } from './body-limits';
import { securityHeaders } from './decide';
import { trailingSlashRedirect } from './respond';
import { gateRoute } from './route';

const HEADERS = securityHeaders('bm9uY2U=');

describe('the trailing-slash redirect after the gate', () => {
  it('sends /runs/ to /runs on the same origin, keeping the query, with the security headers', () => {
    const res = trailingSlashRedirect(new URL('http://127.0.0.1:3000/runs/?sort=id'), HEADERS)!;
    expect(res.status).toBe(308);
    expect(res.headers.get('location')).toBe('http://127.0.0.1:3000/runs?sort=id');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(
      trailingSlashRedirect(new URL('http://127.0.0.1:3000/api/runs/1/run.json//'), HEADERS)!.headers.get('location'),
    ).toBe('http://127.0.0.1:3000/api/runs/1/run.json');
  });

  it('leaves the root and paths without a trailing slash alone, and never names another host', () => {
    expect(trailingSlashRedirect(new URL('http://127.0.0.1:3000/'), HEADERS)).toBeNull();
    expect(trailingSlashRedirect(new URL('http://127.0.0.1:3000/runs'), HEADERS)).toBeNull();
    const odd = new URL('http://127.0.0.1:3000/x/');
    odd.pathname = '//evil.test/';
    expect(new URL(trailingSlashRedirect(odd, HEADERS)!.headers.get('location')!).host).toBe('127.0.0.1:3000');
  });
});

describe('gateRoute: the gate for the routes Next does not run the proxy for', () => {
  const handler = Object.assign(async () => Response.json({ ok: true }, { headers: { 'x-own': '1' } }), {
    access: 'agent' as const,
  });
  const gated = gateRoute(handler);
  const call = (headers: Record<string, string>, method = 'POST') =>
    gated(new Request('http://127.0.0.1:3000/api/ingest', { method, headers }), {});

  it('refuses what the proxy refuses, with the same sentence and headers, without calling the handler', async () => {
    let called = false;
    const spy = gateRoute(async () => {
      called = true;
      return new Response('no');
    });
    const res = await spy(
      new Request('http://127.0.0.1:3000/api/ingest', { headers: { host: 'attacker.test:3000' } }),
      {},
    );
    expect(res.status).toBe(421);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/answers only to/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(called).toBe(false);
    const foreign = await call({ host: '127.0.0.1:3000', origin: 'http://evil.test' });
    expect(foreign.status).toBe(403);
  });

  it('applies the access step too: without the local access token an upload route answers 401', async () => {
    const imports = gateRoute(async () => new Response('reached'));
    for (const method of ['GET', 'POST', 'DELETE']) {
      const res = await imports(
        new Request('http://127.0.0.1:3000/api/imports', { method, headers: { host: '127.0.0.1:3000' } }),
        {},
      );
      expect(res.status, method).toBe(401);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('adds the security headers to what the handler answers and keeps what it declares', async () => {
    const res = await call({ host: '127.0.0.1:3000' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-own')).toBe('1');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(gated.access).toBe('agent');
  });
});

/** Next's own compiler of `config.matcher` (exported at runtime, not in its types). */
const { getMiddlewareMatchers } = pageStaticInfo as unknown as {
  getMiddlewareMatchers: (matcher: string[], nextConfig: object) => Array<{ regexp: string }>;
};

describe('the proxy matcher and the body buffer Next is configured with', () => {
  const [matcher] = getMiddlewareMatchers(proxyConfig.matcher, {});
  const proxied = (path: string) => new RegExp(matcher!.regexp).test(path);

  it('skips the proxy for exactly the streamed upload routes', () => {
    for (const path of STREAMED_ROUTES) expect(proxied(path), path).toBe(false);
    for (const path of [
      '/',
      '/runs',
      '/runs/',
      '/api/ingest/',
      '/api/imports/',
      '/api/ingestx',
      '/api/ingest.rsc',
      '/api/trpc/runs.list',
      '/api/health',
      '/api/auth/sign-in/email',
      '/_next/data/x/api/ingest.json',
      '/_next/static/chunks/x.js',
    ]) {
      expect(proxied(path), path).toBe(true);
    }
  });

  it('sets skipTrailingSlashRedirect and the proxy body buffer in next.config.ts', () => {
    expect(nextConfig.skipTrailingSlashRedirect).toBe(true);
    expect(nextConfig.experimental?.proxyClientMaxBodySize).toBe(PROXY_BODY_BUFFER_BYTES);
  });
});
