import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

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

/** Starts `npm start`'s script (production server) on its own port and data directory. */
export async function startServer(dataDir: string, extraEnv: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
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
      ? await fetch(`${base}/api/trpc/${path}?input=${encodeURIComponent(body)}`)
      : await fetch(`${base}/api/trpc/${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
  const json = (await res.json()) as { result?: { data: { json: T } }; error?: { json: { message: string } } };
  if (!json.result) throw new Error(`tRPC ${path} failed: ${json.error?.json.message}`);
  return json.result.data.json;
}
