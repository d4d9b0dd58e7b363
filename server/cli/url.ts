import 'server-only';
import { localAccessLink } from '@/domain/local-access';
import { ensureLocalSecret } from '@/server/auth/local-access';
import { getEnv } from '@/lib/env';
import type { Reporter } from './output';

/**
 * `proclens url`: the dashboard's address — in local mode the access link `npm start` printed,
 * `http://127.0.0.1:3000/?token=…`, for whoever lost it. Only the OS account that can read DATA_DIR
 * gets it. The address is the public URL when one is set, else where the running server said it
 * listens (its lock file), else HOST and PORT.
 */
async function dashboardAddress(): Promise<string> {
  const env = getEnv();
  if (env.PROCLENS_PUBLIC_URL) return new URL(env.PROCLENS_PUBLIC_URL).origin;
  if (env.dbMode === 'pglite') {
    const { readLock } = await import('@/db/lock');
    const holder = readLock(env.dataDir);
    if (holder?.kind === 'server' && holder.url) return holder.url;
  }
  return `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${env.PORT}`;
}

export async function runUrl(report: Reporter): Promise<void> {
  const env = getEnv();
  const base = await dashboardAddress();
  if (env.hosted) {
    report.stdout(`${base}/`);
    report.progress('hosted mode: people sign in at /sign-in (accounts: proclens admin create-user).');
    return;
  }
  if (!env.localAuth) {
    report.stdout(`${base}/`);
    report.progress('PROCLENS_LOCAL_AUTH=off: the dashboard needs no access token (every local user can open it).');
    return;
  }
  report.stdout(localAccessLink(base, ensureLocalSecret(env.dataDir)));
}
