import 'server-only';
import { localAccessCookieName, localAccessCookieValue } from '@/domain/local-access';
import { localAccess, sameToken, serverLocalSecret } from '@/server/auth/local-access';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/logger';
import type { AccessLookups, AccessMode } from './access';

/**
 * The real answers behind access.ts, for proxy.ts. Next 16 runs the proxy in the Node.js runtime,
 * in the server's own process (it is `require`d from .next/server/middleware.js), so it reads
 * DATA_DIR and reaches the database and Better Auth through the same process-wide instances
 * (on globalThis) as the routes. Better Auth (and the database driver behind it) is imported only
 * when a session is checked: local mode's proxy never loads it, and every process starts faster.
 */
export function accessModeFromEnv(): AccessMode {
  const env = getEnv();
  return env.hosted ? { mode: 'hosted' } : { mode: 'local', tokenRequired: env.localAuth };
}

export function accessLookups(headers: Headers): AccessLookups {
  return {
    localCredential() {
      const access = localAccess(headers);
      return access === 'off' ? 'valid' : access;
    },
    linkCookie(token) {
      const secret = serverLocalSecret();
      if (!sameToken(token, secret)) return null;
      return { name: localAccessCookieName(getEnv().PORT), value: localAccessCookieValue(secret) };
    },
    async session() {
      try {
        // Validation only: a refreshed cookie cannot be written from the proxy, so the refresh is
        // left to the route or page that answers next (it sees the same session).
        const { getAuth } = await import('@/server/auth/auth');
        const s = await (await getAuth()).api.getSession({ headers, query: { disableRefresh: true } });
        return s ? 'valid' : 'absent';
      } catch (e) {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'could not check the session');
        throw e;
      }
    },
  };
}
