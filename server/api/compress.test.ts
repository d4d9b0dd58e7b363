import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressJson } from './compress';

const big = JSON.stringify({ rows: Array.from({ length: 500 }, (_, i) => ({ id: i, name: 'nginx' })) });
const json = (body: string, headers: Record<string, string> = {}) =>
  new Response(body, { status: 200, headers: { 'content-type': 'application/json', ...headers } });
const req = (acceptEncoding?: string) =>
  new Request('http://127.0.0.1/api/trpc/x', { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

describe('compressJson', () => {
  it('gzips a large JSON answer for a client that accepts gzip; the bytes decode to the same JSON', async () => {
    const res = await compressJson(req('gzip, deflate, br, zstd'), json(big));
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.byteLength).toBeLessThan(big.length / 4);
    expect(zlib.gunzipSync(bytes).toString('utf8')).toBe(big);
  });

  it('leaves the answer as it is without gzip in Accept-Encoding, with q=0, when small, or when not JSON', async () => {
    for (const [r, res, body] of [
      [req(), json(big), big],
      [req('br'), json(big), big],
      [req('gzip;q=0, br'), json(big), big],
      [req('gzip'), json('{"ok":true}'), '{"ok":true}'],
      [req('gzip'), new Response(big, { headers: { 'content-type': 'text/csv' } }), big],
    ] as const) {
      const out = await compressJson(r, res);
      expect(out.headers.get('content-encoding')).toBeNull();
      expect(await out.text()).toBe(body);
    }
  });
});
