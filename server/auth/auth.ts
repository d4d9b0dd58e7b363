import 'server-only';
import crypto from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';
import { admin } from 'better-auth/plugins';
import { getDb, type Db } from '@/db';
import { account, session, user, verification } from '@/db/schema';
import { getEnv } from '@/lib/env';
import { CLIENT_IP_HEADER } from './client-address';
import { ac, roles } from './roles';
import { processSingleton } from '@/lib/singleton';

/** Shortest password `admin create-user` and the sign-in API accept. */
export const MIN_PASSWORD_LENGTH = 12;

function buildAuth(db: Db) {
  const env = getEnv();
  return betterAuth({
    // The CLI may create users from a machine without AUTH_SECRET: hashing a password needs no
    // secret, and a throwaway one signs nothing anyone keeps.
    secret: env.AUTH_SECRET ?? crypto.randomBytes(32).toString('base64url'),
    baseURL: env.PROCLENS_PUBLIC_URL ? new URL(env.PROCLENS_PUBLIC_URL).origin : `http://${env.HOST}:${env.PORT}`,
    database: drizzleAdapter(db, { provider: 'pg', schema: { user, session, account, verification } }),
    // People are created by an admin (CLI or admin API), never by signing themselves up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: MIN_PASSWORD_LENGTH },
    telemetry: { enabled: false },
    // The client address comes from our own header, set from the TCP peer (and TRUSTED_PROXIES) by
    // server/api/auth-route.ts; X-Forwarded-For as a client sends it is never believed.
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    // Sign-ins have their own throttle, per account and per address, shared by every process
    // through the database (domain/sign-in-throttle.ts); Better Auth's keeps guarding the rest.
    rateLimit: { customRules: { '/sign-in/*': false } },
    plugins: [admin({ ac, roles, defaultRole: 'viewer', adminRoles: ['admin'] }), nextCookies()],
  });
}

export type Auth = ReturnType<typeof buildAuth>;

const authSlot = processSingleton<Promise<Auth>>('auth');

/** The process's Better Auth instance over the app's database, built on first use. */
export function getAuth(): Promise<Auth> {
  return authSlot.oncePromise(() => getDb().then(buildAuth));
}

/** Tests reopen the database between suites; the instance must follow it. */
export function resetAuthForTests(): void {
  authSlot.clear();
}
