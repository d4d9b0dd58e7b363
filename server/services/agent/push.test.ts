import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestUrl, pushSnapshot } from './push';

interface Seen {
  method?: string;
  url?: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => {
      s.closeAllConnections();
      return new Promise((r) => s.close(r));
    }),
  );
});

/** A local server answering every request with `answer`; `seen` holds the last request. */
async function serve(answer: (res: http.ServerResponse) => void): Promise<{ url: string; seen: Seen }> {
  const seen: Seen = { headers: {}, body: '' };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Object.assign(seen, {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      answer(res);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: ingestUrl(`http://127.0.0.1:${port}/some/path`), seen };
}

const json = (status: number, body: unknown) => (res: http.ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

describe('pushSnapshot', () => {
  it('posts the body with the bearer token to /api/ingest and reads the stored run', async () => {
    const { url, seen } = await serve(json(201, { runId: 7, replayed: true }));
    const body = JSON.stringify({ snapshotId: 'é-1', processes: [] });
    expect(await pushSnapshot(url, 'tok-123', body)).toEqual({ kind: 'stored', runId: 7, replayed: true });
    expect(seen).toMatchObject({ method: 'POST', url: '/api/ingest', body });
    expect(seen.headers).toMatchObject({
      authorization: 'Bearer tok-123',
      'content-type': 'application/json',
      connection: 'close',
    });
  });

  it('sorts answers into unauthorized, rejected (do not resend) and unavailable (try later)', async () => {
    expect(await pushSnapshot((await serve(json(401, {}))).url, 't', '{}')).toEqual({ kind: 'unauthorized' });
    expect(await pushSnapshot((await serve(json(403, {}))).url, 't', '{}')).toEqual({ kind: 'unauthorized' });
    expect(await pushSnapshot((await serve(json(400, { error: { message: 'bad snapshot' } }))).url, 't', '{}')).toEqual(
      {
        kind: 'rejected',
        status: 400,
        message: 'bad snapshot',
      },
    );
    expect(await pushSnapshot((await serve(json(503, {}))).url, 't', '{}')).toEqual({
      kind: 'unavailable',
      message: 'HTTP 503',
    });
    expect(await pushSnapshot((await serve(json(429, { error: { message: 'slow down' } }))).url, 't', '{}')).toEqual({
      kind: 'unavailable',
      message: 'slow down',
    });
    // A 200 without a run id is not a stored snapshot.
    expect(await pushSnapshot((await serve((res) => res.end('<html>'))).url, 't', '{}')).toEqual({
      kind: 'rejected',
      status: 200,
      message: 'HTTP 200',
    });
  });

  it('does not follow a redirect', async () => {
    const target = await serve(json(201, { runId: 1 }));
    const { url } = await serve((res) => res.writeHead(307, { location: target.url }).end());
    expect(await pushSnapshot(url, 't', '{}')).toEqual({ kind: 'unavailable', message: 'redirected (HTTP 307)' });
    expect(target.seen.method).toBeUndefined();
  });

  it('reports a refused connection, a server that never answers and one that hangs up mid-answer', async () => {
    const gone = await serve(json(201, { runId: 1 }));
    await new Promise((r) => servers.pop()?.close(r));
    expect(await pushSnapshot(gone.url, 't', '{}')).toEqual({ kind: 'unavailable', message: 'ECONNREFUSED' });

    const silent = await serve(() => undefined);
    expect(await pushSnapshot(silent.url, 't', '{}', 300)).toEqual({ kind: 'unavailable', message: 'timed out' });

    const cut = await serve((res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"runId":');
      res.socket?.destroy();
    });
    expect((await pushSnapshot(cut.url, 't', '{}')).kind).toBe('unavailable');
  });
});
