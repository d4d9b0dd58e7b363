import http from 'node:http';
import type { Cell } from './gate-cells';
import { baseUrl } from './helpers';
import { accessCookie, authHeaders } from './server-process';

/**
 * One request of the gate matrix, sent as written: the Host header and the rest exactly as the
 * cell says (fetch and Playwright would set or fix some of them).
 */
const base = new URL(baseUrl());

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function credentialHeaders(label: Cell['credential']['label']): Record<string, string> {
  const cookie = accessCookie(baseUrl());
  if (label === 'cookie') return { cookie: `${cookie.name}=${cookie.value}` };
  if (label === 'bearer') return authHeaders(baseUrl());
  if (label === 'forged') return { cookie: `${cookie.name}=forged`, authorization: 'Bearer not-the-token' };
  return {};
}

export function send(
  c: Pick<Cell, 'method' | 'path' | 'host' | 'origin' | 'site' | 'contentType' | 'body'> & {
    credential?: Cell['credential'];
  },
): Promise<Answer> {
  const headers: Record<string, string> = {
    host: c.host.value,
    ...(c.credential ? credentialHeaders(c.credential.label) : {}),
  };
  if (c.origin.value) headers.origin = c.origin.value;
  if (c.site.value) headers['sec-fetch-site'] = c.site.value;
  if (c.contentType) headers['content-type'] = c.contentType;
  if (c.body !== null) headers['content-length'] = String(Buffer.byteLength(c.body));
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: Number(base.port),
        method: c.method,
        path: c.path,
        headers,
        setHost: false,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(c.body ?? undefined);
  });
}
