import 'server-only';

export type PushOutcome =
  | { kind: 'stored'; runId: number; replayed: boolean }
  /** The server refused this snapshot itself (bad or too large): sending it again cannot help. */
  | { kind: 'rejected'; status: number; message: string }
  | { kind: 'unauthorized' }
  /** Down, unreachable, or a 5xx/429: keep it and try again later. */
  | { kind: 'unavailable'; message: string };

/** The ingest URL for a server address given by a person (trailing slashes and paths tolerated). */
export function ingestUrl(server: string): string {
  const u = new URL(server);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('must be an http(s) URL');
  if (u.username || u.password) throw new Error('must not carry credentials');
  return new URL('/api/ingest', u.origin).toString();
}

export async function pushSnapshot(
  url: string,
  token: string,
  body: string,
  timeoutMs = 120_000,
): Promise<PushOutcome> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (e) {
    const cause = (e as { cause?: { code?: string } }).cause?.code;
    return { kind: 'unavailable', message: cause ?? (e instanceof Error ? e.message : String(e)) };
  }
  const answer = (await res.json().catch(() => ({}))) as {
    runId?: number;
    replayed?: boolean;
    error?: { message?: string };
  };
  if (res.status === 401 || res.status === 403) return { kind: 'unauthorized' };
  if (res.ok && typeof answer.runId === 'number')
    return { kind: 'stored', runId: answer.runId, replayed: answer.replayed === true };
  const message = answer.error?.message ?? `HTTP ${res.status}`;
  if (res.status >= 500 || res.status === 429 || res.status === 408) return { kind: 'unavailable', message };
  return { kind: 'rejected', status: res.status, message };
}
