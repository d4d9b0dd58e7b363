import 'server-only';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ProcLensError } from '@/domain/errors';
import { parsePublicUrl } from '@/domain/public-url';
import { parseIpRanges, type IpRanges } from './ip-ranges';
import { processSingleton } from './singleton';
import {
  API_KEY_MAX,
  API_KEY_MIN,
  validateVtBaseUrl,
  VT_SETTING_LIMITS,
  type VtSettingField,
} from '@/domain/vt-settings';
import { DEFAULT_NEW_PER_HOST_DAY } from '@/domain/vt-queue';

/**
 * The one place configuration is read. Every variable is validated at boot; a bad value stops the
 * process with a message that names the variable (never its value: it may be a secret).
 */
const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A default for a VirusTotal setting, within the bounds the Settings page also enforces. */
const vtSetting = (field: VtSettingField) => {
  const l = VT_SETTING_LIMITS[field];
  return (l.integer ? intFrom(l.min, l.max) : z.coerce.number().min(l.min).max(l.max)).default(l.default);
};

const schema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: intFrom(1, 65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Executables larger than this are listed with status "too-large" instead of being hashed. */
  HASH_MAX_FILE_MB: intFrom(1, 1_048_576).default(2048),
  /** Worker threads that hash executables; 0 = one per core (at most 4). */
  HASH_WORKERS: intFrom(0, 64).default(0),
  /** The VirusTotal API key (or enter one on the Settings page). Never logged, never sent to a browser. */
  VT_API_KEY: z
    .string()
    .trim()
    .min(API_KEY_MIN, 'looks too short to be a VirusTotal API key')
    .max(API_KEY_MAX)
    .optional(),
  /** Where VirusTotal answers; tests point it at a local fake. */
  VT_BASE_URL: z
    .string()
    .default('https://www.virustotal.com')
    .transform((raw, ctx) => {
      try {
        return validateVtBaseUrl(raw);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
        return z.NEVER;
      }
    }),
  /** Defaults for the Settings page: the public key's limits and the seed's threshold. */
  VT_REQUESTS_PER_MINUTE: vtSetting('requestsPerMinute'),
  VT_REQUESTS_PER_DAY: vtSetting('requestsPerDay'),
  VT_MALICIOUS_THRESHOLD: vtSetting('maliciousThreshold'),
  /** How long a found report / a "not found" answer stays fresh before a re-check asks again. */
  VT_CACHE_TTL_DAYS: vtSetting('cacheTtlDays'),
  VT_NOT_FOUND_TTL_HOURS: vtSetting('notFoundTtlHours'),
  VT_TIMEOUT_MS: intFrom(1000, 600_000).default(20_000),
  /** `off` keeps the server from running lookups itself (run `proclens worker` elsewhere). */
  VT_WORKER: z.enum(['on', 'off']).default('on'),
  /** The address people reach the dashboard at, when it is not loopback (a reverse proxy, hosted mode). */
  PROCLENS_PUBLIC_URL: z
    .string()
    .optional()
    .superRefine((raw, ctx) => {
      if (raw === undefined) return;
      try {
        parsePublicUrl(raw);
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
  /**
   * Reverse proxies whose X-Forwarded-For is believed (IPs and CIDR ranges, v4 and v6, separated by
   * commas or spaces). Unset: the client is the TCP peer, whatever headers it sends.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .superRefine((raw, ctx) => {
      if (raw === undefined) return;
      const parsed = parseIpRanges(raw);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    }),
  /** A passphrase that encrypts the stored VirusTotal key (AES-256-GCM); unset = stored as is in a 0700 DATA_DIR. */
  PROCLENS_SECRET: z.string().min(12, 'must be at least 12 characters').optional(),
  /** Where the committed drizzle migrations live; the CLI sets it from its own location. */
  PROCLENS_ROOT: z.string().min(1).optional(),
  /**
   * Local mode: `on` (default) answers only to whoever holds the access token in DATA_DIR (the link
   * `npm start` prints); `off` answers every local user, as before (a warning at start says so).
   */
  PROCLENS_LOCAL_AUTH: z.enum(['on', 'off']).default('on'),
  // ---- hosted mode (issue 11) ----
  /** `local`: one person on loopback, no sign-in. `hosted`: a team on PostgreSQL with sign-in and roles. */
  PROCLENS_MODE: z.enum(['local', 'hosted']).default('local'),
  /** Signs session cookies (hosted). At least 32 characters; never logged. */
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters (try: openssl rand -base64 32)').optional(),
  /** Largest snapshot an agent may push, and most processes in one. */
  INGEST_MAX_MB: intFrom(1, 1024).default(32),
  INGEST_MAX_PROCESSES: intFrom(1, 200_000).default(50_000),
  /** `on`: hashes new to VirusTotal in an agent's snapshot are queued for a check as it arrives. */
  INGEST_VT_CHECK: z.enum(['on', 'off']).default('on'),
  /**
   * New hashes one host's agent snapshots may queue for VirusTotal per UTC day; the rest is kept as
   * "not queued: host over its share" (see domain/vt-queue.ts for the default's reasoning).
   */
  INGEST_VT_NEW_PER_HOST_DAY: intFrom(1, 1_000_000).default(DEFAULT_NEW_PER_HOST_DAY),
  /** `proclens agent`: its state folder (hash cache, spool); default /var/lib/proclens-agent as root, else ~/.local/state/proclens-agent. */
  AGENT_STATE_DIR: z.string().min(1).optional(),
  /** The agent's token when not given as --token (keeps it out of the process list). */
  PROCLENS_AGENT_TOKEN: z.string().min(1).max(256).optional(),
  /** Bounds of the agent's on-disk spool of snapshots the server has not taken yet. */
  AGENT_SPOOL_MAX_MB: intFrom(1, 100_000).default(256),
  AGENT_SPOOL_MAX_FILES: intFrom(1, 100_000).default(200),
  /** `admin create-user` reads the new person's password from here when set (never logged). */
  PROCLENS_PASSWORD: z.string().min(1).optional(),
});

export type Env = z.infer<typeof schema> & {
  dataDir: string;
  agentStateDir: string;
  projectRoot: string;
  hashWorkers: number;
  dbMode: 'pglite' | 'postgres';
  hosted: boolean;
  /** TRUSTED_PROXIES parsed; null when unset. */
  trustedProxies: IpRanges | null;
  /** Local mode with PROCLENS_LOCAL_AUTH=on: pages and the API need the access token. */
  localAuth: boolean;
};

export class EnvError extends ProcLensError {
  constructor(readonly issues: string[]) {
    super('bad-input', `Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  }
}

function trustedProxiesOf(raw: string | undefined): IpRanges | null {
  if (raw === undefined) return null;
  const parsed = parseIpRanges(raw);
  // The schema refused a bad list already; an empty one trusts nobody.
  return 'ranges' in parsed && parsed.ranges.entries.length > 0 ? parsed.ranges : null;
}

/** Parses a given environment; empty strings count as unset so `PORT= npm start` keeps the default. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([k, v]) => k in schema.shape && v !== undefined && v.trim() !== ''),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const e = result.data;
  if (e.PROCLENS_MODE === 'hosted') {
    const missing = [
      !e.DATABASE_URL &&
        'DATABASE_URL: hosted mode needs PostgreSQL (postgres://…); the embedded PGlite database is for local mode only',
      !e.AUTH_SECRET && 'AUTH_SECRET: hosted mode needs a secret of at least 32 characters to sign sessions',
      !e.PROCLENS_PUBLIC_URL &&
        'PROCLENS_PUBLIC_URL: hosted mode needs the address people use, e.g. https://proclens.example.org',
    ].filter((m): m is string => typeof m === 'string');
    if (missing.length) throw new EnvError(missing.map((m) => `${m} (PROCLENS_MODE=hosted)`));
  }
  const projectRoot = path.resolve(/*turbopackIgnore: true*/ e.PROCLENS_ROOT ?? process.cwd());
  return {
    ...e,
    projectRoot,
    dataDir: path.resolve(/*turbopackIgnore: true*/ process.cwd(), e.DATA_DIR),
    agentStateDir: path.resolve(
      /*turbopackIgnore: true*/ process.cwd(),
      e.AGENT_STATE_DIR ??
        (process.getuid?.() === 0
          ? '/var/lib/proclens-agent'
          : path.join(os.homedir(), '.local', 'state', 'proclens-agent')),
    ),
    hashWorkers: e.HASH_WORKERS || Math.max(1, Math.min(4, os.availableParallelism())),
    dbMode: e.DATABASE_URL ? 'postgres' : 'pglite',
    hosted: e.PROCLENS_MODE === 'hosted',
    trustedProxies: trustedProxiesOf(e.TRUSTED_PROXIES),
    localAuth: e.PROCLENS_MODE !== 'hosted' && e.PROCLENS_LOCAL_AUTH === 'on',
  };
}

const envSlot = processSingleton<Env>('env');

export function getEnv(): Env {
  return envSlot.once(() => parseEnv(process.env));
}

/** Tests and the CLI change the environment between calls; this forgets the parsed copy. */
export function resetEnvForTests(): void {
  envSlot.clear();
}
