/**
 * The VirusTotal settings as every layer sees them: the one table of their bounds and defaults
 * (read by the environment schema, the settings procedure's input and the Settings page's form) and
 * the rule for a VirusTotal base URL. Layer-neutral: imports nothing of app/, server/ or db/.
 */
import { ProcLensError } from './errors';

export interface VtSettingLimit {
  /** The environment variable that sets the default (the Settings page can change it later). */
  env: string;
  min: number;
  max: number;
  integer: boolean;
  default: number;
}

export const VT_SETTING_LIMITS = {
  requestsPerMinute: { env: 'VT_REQUESTS_PER_MINUTE', min: 1, max: 100_000, integer: true, default: 4 },
  requestsPerDay: { env: 'VT_REQUESTS_PER_DAY', min: 1, max: 100_000_000, integer: true, default: 500 },
  maliciousThreshold: { env: 'VT_MALICIOUS_THRESHOLD', min: 1, max: 1000, integer: true, default: 2 },
  cacheTtlDays: { env: 'VT_CACHE_TTL_DAYS', min: 0, max: 3650, integer: false, default: 7 },
  notFoundTtlHours: { env: 'VT_NOT_FOUND_TTL_HOURS', min: 0, max: 87_600, integer: false, default: 24 },
} as const satisfies Record<string, VtSettingLimit>;

export type VtSettingField = keyof typeof VT_SETTING_LIMITS;

export const VT_SETTING_FIELDS = Object.keys(VT_SETTING_LIMITS) as VtSettingField[];

/** What the free public API allows; above it, the Settings page warns that a premium key is needed. */
export const PUBLIC_API_LIMITS = { requestsPerMinute: 4, requestsPerDay: 500 } as const;

/** Bounds of an API key's length, and the characters a key can have (it travels in an HTTP header). */
export const API_KEY_MIN = 8;
export const API_KEY_MAX = 256;
const API_KEY_CHARS = /^[\x21-\x7e]+$/;

/** What is wrong with a (trimmed) API key, as a sentence; null when it may be a key. */
export function apiKeyProblem(key: string): string | null {
  if (key.length < API_KEY_MIN) return 'That is too short to be a VirusTotal API key.';
  if (key.length > API_KEY_MAX) return 'That is too long to be a VirusTotal API key.';
  if (!API_KEY_CHARS.test(key)) return 'An API key has no spaces or special characters.';
  return null;
}

export class VtConfigError extends ProcLensError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

/**
 * Checks a VirusTotal base URL: http(s) only, no `user:password@`, no query or fragment; returns it
 * without a trailing slash. Messages complete "VT_BASE_URL …" and never repeat the URL (it may hold a secret).
 */
export function validateVtBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new VtConfigError('must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new VtConfigError('must use http:// or https://');
  if (url.username || url.password) {
    throw new VtConfigError('must not contain credentials (the API key is sent in a header, not the URL)');
  }
  // `new URL('https://x/?')` has an empty search, so look at the text too.
  if (url.search || url.hash || /[?#]/.test(raw)) throw new VtConfigError('must not contain a query or fragment');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
