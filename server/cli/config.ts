import 'server-only';
import { getEnv } from '@/lib/env';
import type { Reporter } from './output';

/** `proclens config`: the effective configuration, validated, without a secret. */
export function runConfig(report: Reporter): void {
  const env = getEnv();
  report.stdout(
    JSON.stringify({
      mode: env.PROCLENS_MODE,
      host: env.HOST,
      port: env.PORT,
      dataDir: env.dataDir,
      database: env.dbMode,
      hashWorkers: env.hashWorkers,
      hashMaxFileMb: env.HASH_MAX_FILE_MB,
      logLevel: env.LOG_LEVEL,
      vtBaseUrl: env.VT_BASE_URL,
      vtKeyFromEnv: env.VT_API_KEY !== undefined,
      vtWorker: env.VT_WORKER,
      publicUrl: env.PROCLENS_PUBLIC_URL ?? null,
      trustedProxies: env.trustedProxies?.entries ?? [],
      localAuth: env.hosted ? null : env.PROCLENS_LOCAL_AUTH,
      keyEncryption: env.PROCLENS_SECRET ? 'aes-256-gcm' : 'none',
    }),
  );
}
