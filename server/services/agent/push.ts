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

interface Answer {
  status: number;
  text: string;
}

/**
 * One POST with node:http(s). Not fetch: its HTTP stack is compiled on first use, which costs an
 * agent process (whose whole job is one request) more than its collection on an unchanged host.
 * Redirects are not followed (a snapshot goes to the address given, or nowhere).
 */
async function post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<Answer> {
  const target = new URL(url);
  const { request } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      // No keep-alive: an idle pooled socket would hold `agent --once` open until the server drops it.
      agent: false,
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      // Cut off mid-answer: settles once (a resolved promise ignores the later reject).
      res.once('close', () => reject(new Error('the connection closed before the answer ended')));
    });
    req.end(body);
  });
}

function parseAnswer(text: string): { runId?: number; replayed?: boolean; error?: { message?: string } } {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

export async function pushSnapshot(
  url: string,
  token: string,
  body: string,
  timeoutMs = 120_000,
): Promise<PushOutcome> {
  let res: Answer;
  try {
    res = await post(url, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body, timeoutMs);
  } catch (e) {
    const err = e as { code?: string; name?: string; message?: string };
    const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
    return { kind: 'unavailable', message: timedOut ? 'timed out' : (err.code ?? err.message ?? String(e)) };
  }
  if (res.status >= 300 && res.status < 400) return { kind: 'unavailable', message: `redirected (HTTP ${res.status})` };
  const answer = parseAnswer(res.text);
  const ok = res.status >= 200 && res.status < 300;
  if (res.status === 401 || res.status === 403) return { kind: 'unauthorized' };
  if (ok && typeof answer.runId === 'number')
    return { kind: 'stored', runId: answer.runId, replayed: answer.replayed === true };
  const message = answer.error?.message ?? `HTTP ${res.status}`;
  if (res.status >= 500 || res.status === 429 || res.status === 408) return { kind: 'unavailable', message };
  return { kind: 'rejected', status: res.status, message };
}
