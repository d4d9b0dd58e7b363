import type { ServerResponse } from 'node:http';
import type { Fault } from './types';

/** A response decided before it is written, so a `slow` fault can hold it back. */
export interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export function jsonReply(status: number, value: unknown): Reply {
  return { status, body: JSON.stringify(value), headers: { 'content-type': 'application/json; charset=utf-8' } };
}

/** VirusTotal's error envelope: `{"error": {"code", "message"}}`. */
export function vtError(status: number, code: string, message: string): Reply {
  return jsonReply(status, { error: { code, message } });
}

export const MINUTE_LIMIT_REPLY = vtError(
  429,
  'TooManyRequestsError',
  'Too many requests: the per-minute request rate was exceeded',
);
export const DAILY_LIMIT_REPLY = vtError(
  429,
  'QuotaExceededError',
  'Quota exceeded: the daily quota of lookups is used up (it resets at 00:00 UTC)',
);

/** What each fault kind answers instead of the lookup (`slow` answers the lookup, late). */
export function faultReply(f: Exclude<Fault, { kind: 'slow' }>): Reply {
  switch (f.kind) {
    case '429-json':
      return MINUTE_LIMIT_REPLY;
    case '429-daily':
      return DAILY_LIMIT_REPLY;
    case '429-empty':
      return { status: 429, body: '' };
    case '500':
      // What a proxy in front of an API tends to say: not VirusTotal's JSON envelope.
      return { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain' } };
    case '503':
      return vtError(503, 'TransientError', 'Transient error, please retry later');
    case '504':
      return vtError(504, 'DeadlineExceededError', 'The operation took too long to complete');
    case 'malformed':
      return { status: 200, body: '{"data": {"id": "', headers: { 'content-type': 'application/json' } };
    case '401':
      return vtError(401, 'WrongCredentialsError', 'Wrong API key');
    case '403':
      return vtError(403, 'ForbiddenError', 'You are not allowed to perform the requested operation');
    case '400-not-ready':
      return vtError(400, 'NotAvailableYet', 'The requested resource is not available yet, try again later');
  }
}

/** Writes a reply unless the client has gone (a timed-out client closes the socket first). */
export function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.writableEnded) return;
  const headers: Record<string, string | number> = {
    ...reply.headers,
    'content-length': Buffer.byteLength(reply.body),
  };
  res.writeHead(reply.status, headers);
  res.end(reply.body);
}
