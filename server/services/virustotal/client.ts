import 'server-only';
import { z } from 'zod';
import { MalformedReportError, parseFileReport } from './report';
import type { VtClientOptions, VtLookupResult } from './types';
import { validateVtBaseUrl, VtConfigError } from '@/domain/vt-settings';

/**
 * VirusTotal API v3, the one call ProcLens makes: `GET /api/v3/files/{hash}`. Nothing here uploads,
 * and nothing here throws for what VirusTotal (or the network) says — every answer becomes a
 * `VtLookupResult` the queue can act on. It throws only `VtConfigError`, for options no retry can fix.
 *
 * The API key goes in one header and nowhere else: every message that leaves this module is scrubbed
 * of it, because messages end up in the database, logs and the UI.
 */

const HASH = /^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/;
/** What an HTTP header value may carry; anything else would make fetch throw with the value in its message. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;
const MAX_VT_MESSAGE = 300;

const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string().optional() }) });

interface VtError {
  code: string | null;
  message: string | null;
}

function readError(text: string): VtError {
  try {
    const parsed = errorBody.safeParse(JSON.parse(text));
    if (parsed.success) return { code: parsed.data.error.code, message: parsed.data.error.message ?? null };
  } catch {
    // Not JSON (a proxy's HTML page, an empty 429): there is no VirusTotal code to read.
  }
  return { code: null, message: null };
}

/** "HTTP 503 TransientError: Transient error" — VirusTotal's words, trimmed to one short line. */
function describe(status: number, err: VtError): string {
  const text = err.message
    ?.replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .slice(0, MAX_VT_MESSAGE);
  return `HTTP ${status}${err.code ? ` ${err.code}` : ''}${text ? `: ${text}` : ''}`;
}

function mapResponse(status: number, text: string, err: VtError): VtLookupResult {
  const said = describe(status, err);
  if (status === 200) {
    try {
      return { kind: 'found', report: parseFileReport(JSON.parse(text)) };
    } catch (e) {
      const why = e instanceof MalformedReportError ? e.message : 'body is not JSON';
      return { kind: 'transient', message: `malformed response from VirusTotal (${why})` };
    }
  }
  if (status === 404) {
    // Only VirusTotal's own "never seen it" counts: a wrong VT_BASE_URL also answers 404, and caching
    // that as "not found" for every hash would be a silent wrong answer.
    return err.code === 'NotFoundError'
      ? { kind: 'not-found' }
      : { kind: 'transient', message: `unexpected answer (${said}) — is VT_BASE_URL a VirusTotal API?` };
  }
  if (status === 429) {
    const daily = err.code === 'QuotaExceededError';
    const what = daily ? 'VirusTotal daily quota is used up' : 'VirusTotal request rate limit reached';
    return { kind: 'rate-limited', daily, message: `${what} (${err.code ? said : 'HTTP 429 with no body'})` };
  }
  if (status === 401) {
    return {
      kind: 'auth',
      status,
      code: err.code ?? 'AuthenticationRequiredError',
      message: `VirusTotal rejected the API key (${said})`,
    };
  }
  if (status === 403) {
    return {
      kind: 'auth',
      status,
      code: err.code ?? 'ForbiddenError',
      message: `The VirusTotal API key is not allowed to do this lookup (${said})`,
    };
  }
  if (status === 400 && err.code === 'NotAvailableYet') {
    return { kind: 'transient', message: `VirusTotal has no answer yet (${said})` };
  }
  if (status >= 500 || status === 408) {
    return { kind: 'transient', message: `VirusTotal is having trouble (${said})` };
  }
  if (status >= 400) return { kind: 'rejected', message: `VirusTotal refused the lookup (${said})` };
  // Redirects (not followed: the key must not travel to another host) and odd 2xx.
  return { kind: 'transient', message: `unexpected answer from VirusTotal (${said})` };
}

function describeFailure(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && e.name === 'TimeoutError')
    return `VirusTotal did not answer: timed out after ${timeoutMs} ms`;
  if (e instanceof Error && e.name === 'AbortError') return 'VirusTotal lookup was aborted';
  const cause = e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const detail =
    typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : String(e);
  return `network error talking to VirusTotal: ${detail}`;
}

/** Replaces every occurrence of the key, so a message can be stored and shown as it is. */
function scrub(result: VtLookupResult, apiKey: string): VtLookupResult {
  if (!apiKey || result.kind === 'found' || result.kind === 'not-found') return result;
  return { ...result, message: result.message.split(apiKey).join('[redacted]') };
}

/**
 * Looks one hash (MD5, SHA-1 or SHA-256, hex) up. A hash of another shape is `rejected` without a request.
 * Throws `VtConfigError` for a bad base URL or timeout; never for anything VirusTotal says.
 */
export async function lookupFile(hash: string, opts: VtClientOptions): Promise<VtLookupResult> {
  const baseUrl = validateVtBaseUrl(opts.baseUrl);
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0)
    throw new VtConfigError('timeoutMs must be a positive number');
  if (!HASH.test(hash)) return { kind: 'rejected', message: 'not an MD5, SHA-1 or SHA-256 hex digest' };
  // Checked here rather than left to VirusTotal: these would fail anyway, and spend a request doing it.
  if (!opts.apiKey) {
    return { kind: 'auth', status: 401, code: 'AuthenticationRequiredError', message: 'No VirusTotal API key is set' };
  }
  if (!HEADER_SAFE.test(opts.apiKey)) {
    return {
      kind: 'auth',
      status: 401,
      code: 'WrongCredentialsError',
      message: 'The VirusTotal API key contains spaces or characters a key cannot have',
    };
  }
  const doFetch = opts.fetchImpl ?? fetch;
  let result: VtLookupResult;
  try {
    const res = await doFetch(`${baseUrl}/api/v3/files/${hash.toLowerCase()}`, {
      method: 'GET',
      headers: { 'x-apikey': opts.apiKey, accept: 'application/json' },
      // Covers the body too: a server that stalls mid-body times out like one that never answers.
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: 'manual',
    });
    const text = await res.text();
    result = mapResponse(res.status, text, res.status === 200 ? { code: null, message: null } : readError(text));
  } catch (e) {
    result = { kind: 'transient', message: describeFailure(e, opts.timeoutMs) };
  }
  return scrub(result, opts.apiKey);
}
