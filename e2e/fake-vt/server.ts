import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleControl } from './control-api';
import { createQuota } from './quota';
import { DAILY_LIMIT_REPLY, faultReply, jsonReply, MINUTE_LIMIT_REPLY, send, vtError, type Reply } from './replies';
import { createReportStore, EICAR_SEED, fileReportBody } from './reports';
import {
  DEFAULT_FAKE_VT_KEY,
  type FakeOtherRequest,
  type FakeRequestLogEntry,
  type FakeVt,
  type FakeVtOptions,
  type Fault,
} from './types';

export { DEFAULT_FAKE_VT_KEY, EICAR_SEED };
export type * from './types';

/**
 * A stand-in for VirusTotal API v3 (the parts ProcLens uses: `GET /api/v3/files/{id}`), over real HTTP on
 * 127.0.0.1, so client, queue and e2e tests never reach the real service.
 *
 * A lookup goes: key check → fault (if one is set) → quota → id check → report or 404.
 * Quota: only lookups that passed the key check and were answered use it; 429s (real or faulted) and
 * faulted 401/403/400/5xx do not. A `malformed` fault is a 200 and does. `slow` answers the ordinary
 * lookup (quota included) after its delay.
 */
const FILE_PATH = /^\/api\/v3\/files\/([^/]+)$/;
const HASH_ID = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64})$/i;

export async function createFakeVt(opts: FakeVtOptions = {}): Promise<FakeVt> {
  const now = opts.now ?? Date.now;
  const apiKey = opts.apiKey ?? DEFAULT_FAKE_VT_KEY;
  const store = createReportStore();
  store.add(EICAR_SEED);
  for (const seed of opts.reports ?? []) store.add(seed);
  const quota = createQuota({ perMinute: opts.perMinute ?? 4, perDay: opts.perDay ?? 500 }, now, opts.windowMs);

  let fault: { fault: Fault; left: number } | null = null;
  let log: FakeRequestLogEntry[] = [];
  let other: FakeOtherRequest[] = [];
  let perHash = new Map<string, number>();
  const pending = new Set<NodeJS.Timeout>();
  let url = '';

  /** The active fault for this lookup, counting down `times`. */
  function takeFault(): Fault | null {
    if (!fault) return null;
    const f = fault.fault;
    fault.left -= 1;
    if (fault.left <= 0) fault = null;
    return f;
  }

  function answerLookup(req: IncomingMessage, asked: string): { reply: Reply; delayMs: number } {
    const key = req.headers['x-apikey'];
    if (key === undefined) {
      return { reply: vtError(401, 'AuthenticationRequiredError', 'X-Apikey header is missing'), delayMs: 0 };
    }
    if (key !== apiKey) return { reply: vtError(401, 'WrongCredentialsError', 'Wrong API key'), delayMs: 0 };

    const f = takeFault();
    if (f && f.kind !== 'slow') {
      if (f.kind === 'malformed') quota.consume();
      return { reply: faultReply(f), delayMs: 0 };
    }
    const delayMs = f?.kind === 'slow' ? f.delayMs : 0;

    const over = quota.over();
    if (over) return { reply: over === 'day' ? DAILY_LIMIT_REPLY : MINUTE_LIMIT_REPLY, delayMs };
    quota.consume();

    if (!HASH_ID.test(asked)) {
      return { reply: vtError(400, 'InvalidArgumentError', `Invalid file id "${asked}"`), delayMs };
    }
    const report = store.get(asked);
    const reply = report
      ? jsonReply(200, fileReportBody(report, url))
      : vtError(404, 'NotFoundError', `File "${asked}" not found`);
    return { reply, delayMs };
  }

  function handleLookup(req: IncomingMessage, res: ServerResponse, rawId: string): void {
    let asked: string;
    try {
      asked = decodeURIComponent(rawId);
    } catch {
      asked = rawId;
    }
    const hash = store.normalise(asked);
    const { reply, delayMs } = answerLookup(req, asked);
    log.push({ at: now(), hash, asked, status: reply.status });
    perHash.set(hash, (perHash.get(hash) ?? 0) + 1);
    if (delayMs <= 0) return send(res, reply);
    const timer = setTimeout(() => {
      pending.delete(timer);
      send(res, reply);
    }, delayMs);
    pending.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      pending.delete(timer);
    });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://fake-vt.invalid');
    if (pathname.startsWith('/__fake/')) return send(res, await handleControl(req, pathname, control));
    const match = FILE_PATH.exec(pathname);
    const method = req.method ?? 'GET';
    if (match && method === 'GET') return handleLookup(req, res, match[1] as string);
    // Everything else — uploads included — does not exist here; record it so tests can prove it never happened.
    const reply = match
      ? {
          ...vtError(405, 'MethodNotAllowed', `Method ${method} not allowed`),
          headers: { allow: 'GET', 'content-type': 'application/json' },
        }
      : vtError(404, 'NotFoundError', `Resource "${pathname}" not found`);
    other.push({ at: now(), method, path: pathname, status: reply.status });
    req.resume();
    send(res, reply);
  }

  const control = {
    stats: () => ({ requests: log.length, perHash: Object.fromEntries(perHash), log: [...log], other: [...other] }),
    addReport: (seed: Parameters<FakeVt['addReport']>[0]) => void store.add(seed),
    setFault(f: Fault | null): void {
      fault = f ? { fault: f, left: f.times ?? Infinity } : null;
    },
    setLimits: (l: Parameters<FakeVt['setLimits']>[0]) => quota.setLimits(l),
    reset(): void {
      log = [];
      other = [];
      perHash = new Map();
      fault = null;
      quota.reset();
    },
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      send(res, vtError(500, 'FakeVtBug', err instanceof Error ? err.message : String(err)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiKey,
    requests: () => log.length,
    requestLog: () => [...log],
    hashRequests: (hash) => perHash.get(store.normalise(hash)) ?? 0,
    otherRequests: () => [...other],
    addReport: control.addReport,
    setFault: control.setFault,
    setLimits: control.setLimits,
    resetQuota: () => quota.reset(),
    reset: control.reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const t of pending) clearTimeout(t);
        pending.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive sockets (fetch pools them) and held `slow` replies would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}
