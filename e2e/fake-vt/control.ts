import type { FakeLimits, FakeReportSeed, FakeVtStats, Fault } from './types';

/**
 * Drives a fake that runs in another process (Playwright starts it with `main.ts`) through its
 * `/__fake/*` control API. In-process tests call the `FakeVt` methods directly instead.
 */
export interface FakeVtControl {
  stats(): Promise<FakeVtStats>;
  addReports(seeds: FakeReportSeed | FakeReportSeed[]): Promise<void>;
  setFault(f: Fault | null): Promise<void>;
  setLimits(l: FakeLimits): Promise<void>;
  /** Counters, log, quota and fault; known reports stay. */
  reset(): Promise<void>;
}

export function fakeVtControl(baseUrl: string): FakeVtControl {
  const base = baseUrl.replace(/\/+$/, '');
  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${base}/__fake/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`fake-vt ${method} /__fake/${path} → HTTP ${res.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }
  return {
    stats: async () => (await call('GET', 'stats')) as FakeVtStats,
    addReports: async (seeds) => void (await call('POST', 'reports', seeds)),
    setFault: async (f) => void (await call('POST', 'fault', f)),
    setLimits: async (l) => void (await call('POST', 'limits', l)),
    reset: async () => void (await call('POST', 'reset', {})),
  };
}
