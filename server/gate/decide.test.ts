import { describe, expect, it } from 'vitest';
import { gateConfig, gateConfigFromEnv, MAX_TRPC_BATCH, parsePublicUrl } from './config';
import {
  AUTH_BODY_MAX_BYTES,
  OTHER_BODY_MAX_BYTES,
  PROXY_BODY_BUFFER_BYTES,
  STREAMED_ROUTES,
  TRPC_BODY_MAX_BYTES,
} from './body-limits';
import { decide, refusalBody, trpcCallCount, type RequestFacts } from './decide';

const config = gateConfig({ host: '127.0.0.1', port: 3000 });
const NONCE = 'bm9uY2Utb2YtdGVzdA==';

function req(method: string, pathname: string, headers: Record<string, string> = {}): RequestFacts {
  return { method, pathname, headers: new Headers({ host: '127.0.0.1:3000', ...headers }) };
}

describe('request gate', () => {
  it('serves loopback names on the configured port and nothing else', () => {
    for (const host of ['127.0.0.1:3000', 'localhost:3000', '[::1]:3000', 'LOCALHOST:3000']) {
      expect(decide(req('GET', '/', { host }), config, NONCE).kind).toBe('allow');
    }
    for (const host of ['attacker.test:3000', '127.0.0.1:3001', '127.0.0.1', 'localhost', '']) {
      const d = decide(req('GET', '/settings', { host }), config, NONCE);
      expect(d).toMatchObject({ kind: 'refuse', status: 421 });
      if (d.kind === 'refuse') expect(d.message).toMatch(/answers only to 127\.0\.0\.1:3000.*PROCLENS_PUBLIC_URL/);
    }
  });

  it('adds HOST and the host of PROCLENS_PUBLIC_URL', () => {
    const c = gateConfig({ host: '10.0.0.5', port: 8080, publicUrl: 'https://proclens.example.org' });
    expect(c.allowedHosts).toEqual(expect.arrayContaining(['10.0.0.5:8080', 'proclens.example.org']));
    expect(c.servedOrigins).toContain('https://proclens.example.org');
    const ok = decide(
      {
        method: 'POST',
        pathname: '/api/trpc/runs.collect',
        headers: new Headers({
          host: 'proclens.example.org',
          origin: 'https://proclens.example.org',
          'content-type': 'application/json',
        }),
      },
      c,
      NONCE,
    );
    expect(ok.kind).toBe('allow');
    expect(gateConfigFromEnv({ HOST: '::1', PORT: '4000' }).allowedHosts).toContain('[::1]:4000');
  });

  it('refuses writes from another origin or another site, lets header-less clients through', () => {
    const post = (h: Record<string, string>) =>
      decide(req('POST', '/api/trpc/vt.removeApiKey', { 'content-type': 'application/json', ...h }), config, NONCE);
    expect(post({ origin: 'http://evil.test' })).toMatchObject({ status: 403 });
    expect(post({ origin: 'null' })).toMatchObject({ status: 403 });
    expect(post({ 'sec-fetch-site': 'cross-site' })).toMatchObject({ status: 403 });
    expect(post({ 'sec-fetch-site': 'same-site' })).toMatchObject({ status: 403 });
    expect(post({ origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }).kind).toBe('allow');
    expect(post({}).kind).toBe('allow');
    // Reads are not writes: a cross-site GET is left to the browser's same-origin policy.
    expect(decide(req('GET', '/api/health', { 'sec-fetch-site': 'cross-site' }), config, NONCE).kind).toBe('allow');
    expect(decide(req('DELETE', '/api/ingest', { origin: 'http://evil.test' }), config, NONCE)).toMatchObject({
      status: 403,
    });
  });

  it('accepts only application/json for tRPC mutations', () => {
    for (const ct of [
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/octet-stream',
      '',
    ]) {
      const headers: Record<string, string> = ct ? { 'content-type': ct } : {};
      expect(decide(req('POST', '/api/trpc/runs.collect', headers), config, NONCE)).toMatchObject({ status: 415 });
    }
    expect(
      decide(
        req('POST', '/api/trpc/runs.collect', { 'content-type': 'application/json; charset=utf-8' }),
        config,
        NONCE,
      ).kind,
    ).toBe('allow');
  });

  it('counts batch calls the way tRPC does: after percent-decoding the path once', () => {
    const joined = (n: number, sep: string) => `/api/trpc/${Array.from({ length: n }, () => 'vt.settings').join(sep)}`;
    expect(trpcCallCount(joined(1000, '%2C'))).toBe(1000);
    expect(trpcCallCount(joined(30, '%2c'))).toBe(30);
    expect(trpcCallCount(`${joined(3, ',')}/`)).toBe(3);
    // Decoded once, as tRPC does: %252C becomes a literal %2C inside one (unknown) procedure name.
    expect(trpcCallCount(joined(30, '%252C'))).toBe(1);
    // A malformed escape (tRPC refuses it with 400) still counts every separator that is visible.
    expect(trpcCallCount(`${joined(25, '%2C')}%E0%A4%A`)).toBe(25);
    const d = decide(req('GET', joined(1000, '%2C')), config, NONCE);
    expect(d).toMatchObject({ kind: 'refuse', status: 413 });
    if (d.kind === 'refuse') expect(d.message).toMatch(/at most 20 calls; this one has 1000/);
    expect(decide(req('GET', joined(MAX_TRPC_BATCH, '%2C')), config, NONCE).kind).toBe('allow');
  });

  it('refuses a declared body over the route limit (413) and a chunked body through the proxy (411)', () => {
    const post = (path: string, h: Record<string, string>) =>
      decide(req('POST', path, { 'content-type': 'application/json', ...h }), config, NONCE);
    const over = (n: number) => ({ 'content-length': String(n + 1) });
    expect(post('/api/trpc/runs.collect', over(TRPC_BODY_MAX_BYTES))).toMatchObject({
      status: 413,
      message: 'The request body is larger than this address accepts (1 MiB).',
    });
    expect(post('/api/trpc/runs.collect', { 'content-length': String(TRPC_BODY_MAX_BYTES) }).kind).toBe('allow');
    expect(post('/api/auth/sign-in/email', over(AUTH_BODY_MAX_BYTES))).toMatchObject({ status: 413 });
    expect(post('/api/health', over(OTHER_BODY_MAX_BYTES))).toMatchObject({ status: 413 });
    expect(post('/api/trpc/runs.collect', { 'transfer-encoding': 'chunked' })).toMatchObject({
      status: 411,
      message: expect.stringMatching(/Content-Length/),
    });
    // The upload routes read and count their own bodies against their own limits.
    for (const path of STREAMED_ROUTES) {
      expect(post(path, { 'content-length': String(30 * 2 ** 20) }).kind, path).toBe('allow');
      expect(post(path, { 'transfer-encoding': 'chunked' }).kind, path).toBe('allow');
    }
  });

  it('caps batches', () => {
    const path = (n: number) => `/api/trpc/${Array.from({ length: n }, () => 'runs.list').join(',')}`;
    expect(trpcCallCount(path(3))).toBe(3);
    expect(decide(req('GET', path(MAX_TRPC_BATCH)), config, NONCE).kind).toBe('allow');
    const d = decide(req('GET', path(500)), config, NONCE);
    expect(d).toMatchObject({ status: 413 });
    if (d.kind === 'refuse') expect(d.message).toMatch(/at most 20 calls; this one has 500/);
  });

  it('puts the security headers and the nonce on every answer', () => {
    for (const d of [decide(req('GET', '/'), config, NONCE), decide(req('GET', '/', { host: 'x:1' }), config, NONCE)]) {
      const h = d.responseHeaders;
      expect(h['content-security-policy']).toContain(`'nonce-${NONCE}'`);
      for (const part of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"]) {
        expect(h['content-security-policy']).toContain(part);
      }
      expect(h['content-security-policy']).not.toContain('unsafe-eval');
      expect(h).toMatchObject({
        'x-frame-options': 'DENY',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
      });
    }
    const allow = decide(req('GET', '/'), config, NONCE);
    expect(allow.kind === 'allow' && allow.requestHeaders['x-nonce']).toBe(NONCE);
  });

  it('has Next buffer one byte more than any proxied limit, so a body within its limit is never cut', () => {
    expect(PROXY_BODY_BUFFER_BYTES).toBe(Math.max(TRPC_BODY_MAX_BYTES, AUTH_BODY_MAX_BYTES, OTHER_BODY_MAX_BYTES) + 1);
  });

  it('answers JSON under /api and text on pages', () => {
    expect(JSON.parse(refusalBody('/api/health', 'No.').body)).toEqual({ error: { message: 'No.' } });
    expect(refusalBody('/settings', 'No.')).toEqual({ body: 'No.\n', contentType: 'text/plain; charset=utf-8' });
  });

  it('validates PROCLENS_PUBLIC_URL with a sentence', () => {
    expect(() => parsePublicUrl('proclens.example.org')).toThrow(/absolute URL/);
    expect(() => parsePublicUrl('ftp://x.example')).toThrow(/http/);
    expect(() => parsePublicUrl('https://u:p@x.example')).toThrow(/password/);
    expect(() => parsePublicUrl('https://x.example/proclens')).toThrow(/no path/);
    expect(parsePublicUrl('https://x.example:8443/').host).toBe('x.example:8443');
  });
});
