import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { LOCAL_ACCESS_FILE, localAccessCookieName, localAccessCookieValue } from '../domain/local-access';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * A local-mode server answers only to whoever holds the access token in its DATA_DIR (issue #17).
 * Harnesses act as that person: they read the token from the server's DATA_DIR (the suite's
 * webServer, or one started here) and send it as a bearer token (scripts) or a cookie (browsers).
 * e2e/local-access.spec.ts goes through the printed link instead.
 */
const dataDirs = new Map<string, string>();

function dataDirOf(base: string): string | null {
  if (base === process.env.PROCLENS_E2E_BASE_URL) return process.env.PROCLENS_E2E_DATA_DIR ?? null;
  return dataDirs.get(base) ?? null;
}

/** The token in a DATA_DIR, or null when there is none (hosted mode, PROCLENS_LOCAL_AUTH=off). */
export function accessToken(dataDir: string): string | null {
  try {
    return fs.readFileSync(path.join(dataDir, LOCAL_ACCESS_FILE), 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** `Authorization: Bearer <token>` for the server at `base`, as a script sends it. */
export function authHeaders(base: string): Record<string, string> {
  const dir = dataDirOf(base);
  const token = dir ? accessToken(dir) : null;
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The cookie the printed link sets, for a browser context (Playwright's cookie shape). */
export function accessCookie(base: string, dataDir: string | null = dataDirOf(base)) {
  const token = dataDir ? accessToken(dataDir) : null;
  if (!token) throw new Error(`No access token in the data directory of ${base}; has the server started?`);
  const url = new URL(base);
  return {
    name: localAccessCookieName(Number(url.port)),
    value: localAccessCookieValue(token),
    domain: url.hostname,
    path: '/',
    expires: -1,
    httpOnly: true,
    secure: false,
    sameSite: 'Strict' as const,
  };
}

/** Starts `npm start`'s script (production server) on its own port and data directory. */
export async function startServer(dataDir: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const port = extraEnv.PORT ? Number(extraEnv.PORT) : await freePort();
  dataDirs.set(`http://127.0.0.1:${port}`, dataDir);
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { url: `http://127.0.0.1:${port}`, child, output: () => out, exited };
}

/** Polls /api/health until it answers 200 or the process exits. */
export async function waitHealthy(s: ServerProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void s.exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    try {
      if ((await fetch(`${s.url}/api/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy:\n${s.output()}`);
}

/** Calls a tRPC procedure the way the dashboard does (superjson envelope). */
export async function trpc<T>(base: string, path: string, input?: unknown, method: 'GET' | 'POST' = 'GET'): Promise<T> {
  const body = JSON.stringify({ json: input ?? null });
  const res =
    method === 'GET'
      ? await fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(body)}`, { headers: authHeaders(base) })
      : await fetch(`${base}/api/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...authHeaders(base) },
          body,
        });
  const json = (await res.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  if (!json.result) throw new Error(`tRPC ${path} failed: ${json.error?.json.message}`);
  return json.result.data.json;
}
