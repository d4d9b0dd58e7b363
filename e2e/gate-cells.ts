import { apiList, concretePath } from './api-list';
import { baseUrl } from './helpers';

/**
 * The request matrix of gate-matrix.spec.ts: its axes (Host × Origin × Sec-Fetch-Site × content
 * type × credential), one cell per request, and what the gate (or the handler behind it) must
 * answer to each. The targets are every tRPC procedure, route handler and page found in the app,
 * so a new one is covered without editing this file.
 */
const api = apiList();

const PORT = new URL(baseUrl()).port;
const SERVED = `http://127.0.0.1:${PORT}`;
export const HOSTS = [
  { label: '127.0.0.1', value: `127.0.0.1:${PORT}`, ok: true },
  { label: 'localhost', value: `localhost:${PORT}`, ok: true },
  { label: 'attacker.test', value: `attacker.test:${PORT}`, ok: false },
];
export const ORIGINS = [
  { label: '-', value: null, ok: true },
  { label: 'served', value: SERVED, ok: true },
  { label: 'other', value: `http://attacker.test:${PORT}`, ok: false },
];
export const SITES = [
  { label: '-', value: null, ok: true },
  { label: 'same-origin', value: 'same-origin', ok: true },
  { label: 'same-site', value: 'same-site', ok: false },
  { label: 'cross-site', value: 'cross-site', ok: false },
];
export const CONTENT_TYPES = [
  'application/json',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'text/plain',
  'application/octet-stream',
];
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
export const CREDENTIALS = [
  { label: 'cookie', ok: true },
  { label: 'bearer', ok: true },
  { label: 'none', ok: false },
  { label: 'forged', ok: false },
] as const;
export const GATE_SENTENCE = {
  421: /answers only to .*PROCLENS_PUBLIC_URL/,
  403: /accepted only from ProcLens's own pages/,
  415: /must be sent as application\/json/,
  413: /A batch may hold at most 20 calls; this one has \d+/,
  401: /access token|npx proclens url/,
};
/** tRPC separates batch calls with `,` after percent-decoding the path: `%2C` and `%2c` are commas too. */
const BATCH_SEPARATORS = [',', '%2C', '%2c'];
const batchPath = (n: number, sep: string) =>
  `/api/trpc/${Array.from({ length: n }, () => 'vt.settings').join(sep)}?batch=1&input=${encodeURIComponent('{}')}`;

export interface Cell {
  target: string;
  method: string;
  path: string;
  host: (typeof HOSTS)[number];
  origin: (typeof ORIGINS)[number];
  site: (typeof SITES)[number];
  credential: (typeof CREDENTIALS)[number];
  contentType: string | null;
  body: string | null;
  /** Expected statuses when the gate lets the request through. */
  passStatus: number[];
  /** The sentence expected then (null: a page or a success). */
  passSentence: RegExp | null;
  page: boolean;
  /** A tRPC batch of more calls than the gate allows: 413 once Host, Origin and type pass. */
  overBatch?: boolean;
  /** Where a trailing-slash redirect (308) must point once the gate lets the request through. */
  location?: string;
}

type Axes = Pick<Cell, 'host' | 'origin' | 'site' | 'credential'>;

/**
 * One request crossed with the axes: every Host × Origin × Sec-Fetch-Site with the access cookie,
 * and the other credentials on the plain requests (no Origin, and the dashboard's own).
 */
function crossed(request: Omit<Cell, keyof Axes>): Cell[] {
  const cells: Cell[] = [];
  for (const host of HOSTS)
    for (const origin of ORIGINS)
      for (const site of SITES) cells.push({ ...request, host, origin, site, credential: CREDENTIALS[0] });
  for (const credential of CREDENTIALS.slice(1)) {
    cells.push({ ...request, host: HOSTS[0]!, origin: ORIGINS[0]!, site: SITES[0]!, credential });
    cells.push({ ...request, host: HOSTS[0]!, origin: ORIGINS[1]!, site: SITES[1]!, credential });
  }
  return cells;
}

/** What the gate answers for a cell, or null when it lets the request through. */
export function gateExpects(c: Cell): 421 | 403 | 415 | 413 | 401 | null {
  if (!c.host.ok) return 421;
  const writes = c.method !== 'GET' && c.method !== 'HEAD';
  if (writes && (!c.origin.ok || !c.site.ok)) return 403;
  if (c.path.startsWith('/api/trpc/') && c.method === 'POST' && c.contentType?.split(';')[0] !== 'application/json')
    return 415;
  if (c.overBatch) return 413;
  // A trailing slash is redirected to the canonical path before access is decided (proxy.ts).
  if (c.location !== undefined) return null;
  // The access token: health is open, and the CLI's hand-over (POST /api/ingest) checks its own.
  const open = c.path === '/api/health' || (c.path === '/api/ingest' && c.method === 'POST');
  if (!c.credential.ok && !open) return 401;
  return null;
}

/** The known answers of route handlers past the gate (run 999999 does not exist). */
function routeAnswer(pattern: string, method: string): { status: number; sentence: RegExp | null } {
  if (pattern === '/api/health') return { status: 200, sentence: null };
  if (pattern === '/api/ingest') return { status: 401, sentence: /token invalid or revoked/ };
  // Local mode (this server) has no sign-in; hosted mode is covered by e2e/hosted.spec.ts.
  if (pattern === '/api/auth/[...all]') return { status: 404, sentence: /Sign-in exists in hosted mode only/ };
  // Fleet-wide IOC lists: an empty fleet has none, still a 200 file.
  if (pattern === '/api/iocs.txt' || pattern === '/api/iocs.csv') return { status: 200, sentence: null };
  if (pattern.startsWith('/api/runs/[runId]/')) return { status: 404, sentence: /Run 999999 does not exist/ };
  // The matrix sends JSON; the import takes only a multipart upload.
  if (pattern === '/api/imports') return { status: 415, sentence: /Upload the workbook as multipart\/form-data/ };
  throw new Error(
    `The request matrix does not know what ${method} ${pattern} answers to the local person: add it to routeAnswer().`,
  );
}

export function buildCells(): Cell[] {
  const cells: Cell[] = [];
  const answers = { passStatus: [200, 400], passSentence: /"result"|"message"\s*:\s*"[^"]{8,}/, page: false };
  for (const proc of api.procedures) {
    if (proc.type === 'query') {
      // Malformed input: tRPC refuses it before the procedure runs (a query without input ignores
      // it and answers); reads change nothing either way.
      cells.push(
        ...crossed({
          target: `query ${proc.path}`,
          method: 'GET',
          path: `/api/trpc/${proc.path}?input=%7B`,
          contentType: null,
          body: null,
          ...answers,
        }),
      );
    } else {
      for (const contentType of CONTENT_TYPES) {
        // A malformed body: tRPC refuses it before the procedure runs, except for a mutation that
        // takes no input (vt.removeApiKey), which runs — harmless on the test server.
        cells.push(
          ...crossed({
            target: `mutation ${proc.path}`,
            method: 'POST',
            path: `/api/trpc/${proc.path}`,
            contentType,
            body: '{',
            ...answers,
          }),
        );
      }
    }
  }
  for (const route of api.routes) {
    const isTrpc = route.pattern.includes('[trpc]');
    const path = concretePath(route.pattern);
    for (const method of METHODS) {
      // tRPC's own methods are covered procedure by procedure above.
      if (isTrpc && route.methods.includes(method)) continue;
      const allowed = route.methods.includes(method);
      const known = allowed
        ? routeAnswer(route.pattern, method)
        : { status: 405, sentence: new RegExp(`${method} is not allowed here; this address accepts`) };
      cells.push(
        ...crossed({
          target: `${method} ${route.pattern}`,
          method,
          path,
          ...jsonBody(method),
          passStatus: [known.status],
          passSentence: known.sentence,
          page: false,
        }),
      );
    }
  }
  // Batches: tRPC splits the decoded path, so every separator counts; 20 calls pass, 21 do not.
  for (const sep of BATCH_SEPARATORS) {
    for (const n of [20, 21, 1000]) {
      cells.push(
        ...crossed({
          target: `batch of ${n} (${sep})`,
          method: 'GET',
          path: batchPath(n, sep),
          contentType: null,
          body: null,
          passStatus: [200],
          passSentence: /"result"/,
          page: false,
          overBatch: n > 20,
        }),
        ...crossed({
          target: `POST batch of ${n} (${sep})`,
          method: 'POST',
          path: batchPath(n, sep).replace('vt.settings', 'vt.removeApiKey').split('?')[0]! + '?batch=1',
          contentType: 'application/json',
          body: '{}',
          // A mutation batched with queries: tRPC answers each call (405 for the queries sent by POST).
          passStatus: [200, 207, 400, 405],
          passSentence: null,
          page: false,
          overBatch: n > 20,
        }),
      );
    }
  }
  // Trailing slashes: the gate answers first (421/403 and the headers), then a 308 to the path
  // without the slash — never Next's own redirect, which came before the gate.
  const slashTargets = [
    ...api.pages.filter((p) => p !== '/').map((p) => ({ label: `page ${p}/`, path: p.replace('[runId]', '999999') })),
    ...api.routes.map((r) => ({
      label: `route ${r.pattern}/`,
      path: r.pattern.replace('[runId]', '999999').replace('[trpc]', 'runs.list'),
    })),
  ];
  for (const t of slashTargets) {
    for (const method of ['GET', 'POST']) {
      cells.push(
        ...crossed({
          target: `${method} ${t.label}`,
          method,
          path: `${t.path}/`,
          ...jsonBody(method),
          passStatus: [308],
          passSentence: null,
          page: false,
          location: t.path,
        }),
      );
    }
  }
  for (const pattern of api.pages) {
    cells.push(
      ...crossed({
        target: `page ${pattern}`,
        method: 'GET',
        path: concretePath(pattern),
        contentType: null,
        body: null,
        passStatus: [pattern.includes('[runId]') ? 404 : 200],
        passSentence: null,
        page: true,
      }),
    );
  }
  return cells;
}

/** A route request's body: none for GET, an empty JSON object otherwise. */
const jsonBody = (method: string) =>
  method === 'GET' ? { contentType: null, body: null } : { contentType: 'application/json', body: '{}' };
