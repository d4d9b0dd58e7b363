import { z } from 'zod';

/**
 * The fake VirusTotal's public shapes. Tests in-process use them through `createFakeVt`; Playwright
 * (fake in another process) sends the same shapes as JSON to the control API, so each type has a zod
 * schema beside it that the control API validates with.
 */

export const DEFAULT_FAKE_VT_KEY = 'test-key-0123456789abcdef';

const count = z.number().int().nonnegative();
const sha256 = z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be 64 hex digits');

export const fakeReportSeedSchema = z.object({
  sha256,
  md5: z
    .string()
    .regex(/^[0-9a-fA-F]{32}$/, 'md5 must be 32 hex digits')
    .optional(),
  sha1: z
    .string()
    .regex(/^[0-9a-fA-F]{40}$/, 'sha1 must be 40 hex digits')
    .optional(),
  malicious: count,
  undetected: count.optional(),
  suspicious: count.optional(),
  harmless: count.optional(),
  typeUnsupported: count.optional(),
  label: z.string().optional(),
  meaningfulName: z.string().optional(),
  /** Report exists but stats are all 0 and there is no `last_analysis_date`. */
  noAnalysis: z.boolean().optional(),
  /** Extras beyond the brief; defaults are 4096 bytes and "ELF". */
  size: count.optional(),
  typeDescription: z.string().optional(),
});
export type FakeReportSeed = z.infer<typeof fakeReportSeedSchema>;

const times = count.optional();
export const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('429-json'), times }),
  z.object({ kind: z.literal('429-daily'), times }),
  z.object({ kind: z.literal('429-empty'), times }),
  z.object({ kind: z.enum(['500', '503', '504']), times }),
  z.object({ kind: z.literal('slow'), delayMs: count, times }),
  z.object({ kind: z.literal('malformed'), times }),
  z.object({ kind: z.enum(['401', '403']), times }),
  z.object({ kind: z.literal('400-not-ready'), times }),
]);
/** `times` = how many lookups the fault affects; absent = until cleared. */
export type Fault = z.infer<typeof faultSchema>;

export const fakeLimitsSchema = z.object({ perMinute: count.optional(), perDay: count.optional() });
/** 0 = unlimited (for either limit). */
export type FakeLimits = z.infer<typeof fakeLimitsSchema>;

export interface FakeRequestLogEntry {
  /** The fake's clock (ms) when the lookup arrived. */
  at: number;
  /** The id asked, lower-cased and normalised to the SHA-256 when the fake knows the file. */
  hash: string;
  /** The id exactly as it appeared in the path (URL-decoded). */
  asked: string;
  status: number;
}

/** Any request that was not a file lookup (wrong method, unknown path) — an upload attempt shows here. */
export interface FakeOtherRequest {
  at: number;
  method: string;
  path: string;
  status: number;
}

export interface FakeVtStats {
  requests: number;
  perHash: Record<string, number>;
  log: FakeRequestLogEntry[];
  other: FakeOtherRequest[];
}

export interface FakeVtOptions {
  apiKey?: string;
  /** Default 4 (the public key's rate); 0 = unlimited. */
  perMinute?: number;
  /**
   * The per-minute window's length (default 60 000). Tests shrink it to prove pacing in seconds:
   * 3 per 1 000 ms is VirusTotal's rule at 180/min, compressed.
   */
  windowMs?: number;
  /** Default 500; 0 = unlimited. */
  perDay?: number;
  reports?: FakeReportSeed[];
  /** Default 0: the kernel picks a free port. */
  port?: number;
  /** The clock for quotas and the log, so tests move time instead of sleeping. */
  now?: () => number;
}

export interface FakeVt {
  /** e.g. http://127.0.0.1:40123 — use as VT_BASE_URL. */
  url: string;
  apiKey: string;
  /** File lookups received (any outcome, including 401 and 429). */
  requests(): number;
  requestLog(): FakeRequestLogEntry[];
  /** Lookups of one hash, by whatever id form was asked (md5/sha1 count under the sha256 when known). */
  hashRequests(hash: string): number;
  otherRequests(): FakeOtherRequest[];
  addReport(seed: FakeReportSeed): void;
  /** Affects subsequent lookups until cleared (or until `times` lookups have seen it). */
  setFault(f: Fault | null): void;
  setLimits(l: FakeLimits): void;
  resetQuota(): void;
  /** Counters, log, quota and fault; known reports stay. */
  reset(): void;
  close(): Promise<void>;
}
