import 'server-only';
import type { Db } from '@/db';
import { deleteSetting, readSettings, writeSetting } from '@/db/queries/settings';
import { getEnv } from '@/server/env';

/**
 * VirusTotal settings: the environment gives the defaults, the Settings page overrides them in the
 * database (so every worker and the CLI see the same values). The key is read here and handed to
 * the client only; `publicVtSettings` is the only shape that leaves the server.
 */
export interface VtSettings {
  apiKey: string | null;
  keySource: 'settings' | 'env' | null;
  baseUrl: string;
  timeoutMs: number;
  requestsPerMinute: number;
  requestsPerDay: number;
  maliciousThreshold: number;
  cacheTtlDays: number;
  notFoundTtlHours: number;
  /** Skip executables whose file matches its dpkg package's checksum and carries no badge (off by default). */
  skipPackageVerified: boolean;
}

export type EditableVtSettings = Pick<
  VtSettings,
  'requestsPerMinute' | 'requestsPerDay' | 'maliciousThreshold' | 'cacheTtlDays' | 'notFoundTtlHours'
>;

const PREFIX = 'vt.';
const KEY = 'vt.apiKey';
const SKIP_VERIFIED = 'vt.skipPackageVerified';
const EDITABLE: Array<keyof EditableVtSettings> = [
  'requestsPerMinute',
  'requestsPerDay',
  'maliciousThreshold',
  'cacheTtlDays',
  'notFoundTtlHours',
];

export async function getVtSettings(db: Db): Promise<VtSettings> {
  const env = getEnv();
  const stored = await readSettings(db, PREFIX);
  const num = (name: keyof EditableVtSettings, fallback: number) => {
    const v = stored.get(PREFIX + name);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  };
  const storedKey = stored.get(KEY);
  const apiKey = typeof storedKey === 'string' && storedKey ? storedKey : (env.VT_API_KEY ?? null);
  return {
    apiKey,
    keySource: typeof storedKey === 'string' && storedKey ? 'settings' : env.VT_API_KEY ? 'env' : null,
    baseUrl: env.VT_BASE_URL,
    timeoutMs: env.VT_TIMEOUT_MS,
    requestsPerMinute: num('requestsPerMinute', env.VT_REQUESTS_PER_MINUTE),
    requestsPerDay: num('requestsPerDay', env.VT_REQUESTS_PER_DAY),
    maliciousThreshold: num('maliciousThreshold', env.VT_MALICIOUS_THRESHOLD),
    cacheTtlDays: num('cacheTtlDays', env.VT_CACHE_TTL_DAYS),
    notFoundTtlHours: num('notFoundTtlHours', env.VT_NOT_FOUND_TTL_HOURS),
    skipPackageVerified: stored.get(SKIP_VERIFIED) === true,
  };
}

export async function updateVtSettings(
  db: Db,
  patch: Partial<EditableVtSettings> & { skipPackageVerified?: boolean },
): Promise<void> {
  for (const name of EDITABLE) {
    const v = patch[name];
    if (v !== undefined) await writeSetting(db, PREFIX + name, v);
  }
  if (patch.skipPackageVerified !== undefined) await writeSetting(db, SKIP_VERIFIED, patch.skipPackageVerified);
}

export async function storeApiKey(db: Db, key: string | null): Promise<void> {
  if (key === null) await deleteSetting(db, KEY);
  else await writeSetting(db, KEY, key);
}

/** Last four characters only: enough to tell keys apart, useless to anyone reading the page. */
export function keyHint(key: string | null): string | null {
  return key ? `••••${key.slice(-4)}` : null;
}

export function publicVtSettings(s: VtSettings) {
  return {
    keyConfigured: s.apiKey !== null,
    keyHint: keyHint(s.apiKey),
    keySource: s.keySource,
    usesRealVirusTotal: /^https:\/\/www\.virustotal\.com$/.test(s.baseUrl),
    requestsPerMinute: s.requestsPerMinute,
    requestsPerDay: s.requestsPerDay,
    maliciousThreshold: s.maliciousThreshold,
    cacheTtlDays: s.cacheTtlDays,
    notFoundTtlHours: s.notFoundTtlHours,
    skipPackageVerified: s.skipPackageVerified,
  };
}

export type PublicVtSettings = ReturnType<typeof publicVtSettings>;

export function freshnessFor(s: VtSettings, now = Date.now()) {
  return {
    foundAfter: new Date(now - s.cacheTtlDays * 86_400_000),
    notFoundAfter: new Date(now - s.notFoundTtlHours * 3_600_000),
  };
}
