import 'server-only';
import type { Db } from '@/db';
import { freshnessAt, type Freshness } from '@/domain/vt-cache';
import { deleteSetting, purgeSettingsRemnants, readSettings, writeSetting } from '@/db/queries/settings';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/logger';
import { isSealedKey, KeyUnsealError, sealKey, unsealKey } from './key-at-rest';
import { processSingleton } from '@/lib/singleton';

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
  const storedKey = readStoredKey(stored.get(KEY), env.PROCLENS_SECRET);
  return {
    apiKey: storedKey ?? env.VT_API_KEY ?? null,
    keySource: storedKey ? 'settings' : env.VT_API_KEY ? 'env' : null,
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

const keyWarned = processSingleton<boolean>('vt-key-warned');

/** The stored key in clear, or null when there is none or it cannot be decrypted (warned once). */
function readStoredKey(value: unknown, secret: string | undefined): string | null {
  if (typeof value === 'string') return value || null;
  if (!isSealedKey(value)) return null;
  try {
    return unsealKey(value, secret);
  } catch (e) {
    if (!(e instanceof KeyUnsealError)) throw e;
    if (!keyWarned.get()) logger.warn(e.message);
    keyWarned.set(true);
    return null;
  }
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

/**
 * Saves (sealed when PROCLENS_SECRET is set) or removes the key, then rewrites the settings table
 * so the previous key leaves no copy in the database files.
 */
export async function storeApiKey(db: Db, key: string | null): Promise<void> {
  const secret = getEnv().PROCLENS_SECRET;
  if (key === null) await deleteSetting(db, KEY);
  else await writeSetting(db, KEY, secret ? sealKey(key, secret) : key);
  keyWarned.set(false);
  await purgeSettingsRemnants(db);
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

/** The cache's freshness rule (domain/vt-cache.ts) with the settings in force. */
export function freshnessFor(s: VtSettings, now = Date.now()): Freshness {
  return freshnessAt(s, now);
}
