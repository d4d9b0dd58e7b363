import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDataDir, PRIVATE_FILE_MODE } from '@/db/data-dir';
import { TEXT_MAX } from '@/domain/limits';
import {
  LOCAL_ACCESS_FILE,
  LOCAL_SECRET_PATTERN,
  localAccessCookieName,
  localAccessCookieValue,
} from '@/domain/local-access';
import { getEnv } from '@/lib/env';

/**
 * Local mode's access token (issue #17, item 11): any account on the machine can reach a server on
 * 127.0.0.1, so the server answers only to whoever can read a secret kept in DATA_DIR (0700, the
 * file 0600) — the OS account that runs it. The browser proves it with a cookie set by the printed
 * link, scripts with `Authorization: Bearer <secret>`. The secret persists across restarts, so a
 * bookmarked link keeps working; deleting the file revokes every link and cookie (a new secret is
 * made on the next request; `proclens url` prints it).
 */
export function localSecretPath(dataDir: string): string {
  return path.join(dataDir, LOCAL_ACCESS_FILE);
}

/** The stored secret; null when there is none or the file does not hold one. Never creates it. */
export function readLocalSecret(dataDir: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(localSecretPath(dataDir), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  const secret = text.trim();
  return LOCAL_SECRET_PATTERN.test(secret) ? secret : null;
}

/**
 * The secret, made on first use. It is written to a private temporary file and published with
 * link() (or rename() over a damaged file), so a reader never sees a half-written secret and two
 * processes starting at once end up with the one that landed. What is returned is read back from
 * the file: whoever won, every process agrees.
 */
export function ensureLocalSecret(dataDir: string): string {
  const file = localSecretPath(dataDir);
  const existing = readLocalSecret(dataDir);
  if (existing) {
    if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, PRIVATE_FILE_MODE);
    return existing;
  }
  ensurePrivateDataDir(dataDir);
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, `${crypto.randomBytes(32).toString('base64url')}\n`, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  try {
    if (fs.existsSync(file)) {
      fs.renameSync(tmp, file); // a damaged file: replace it
    } else {
      try {
        fs.linkSync(tmp, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; // another process published first
      }
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const secret = readLocalSecret(dataDir);
  if (!secret) throw new Error(`Could not store the access token in ${file}.`);
  return secret;
}

/** Equal or not, in time that does not depend on where they differ (nor on the secret's length). */
export function sameToken(presented: string, expected: string): boolean {
  if (presented.length > TEXT_MAX.accessToken) return false;
  const a = crypto.createHash('sha256').update(presented).digest();
  const b = crypto.createHash('sha256').update(expected).digest();
  return crypto.timingSafeEqual(a, b);
}

export function bearerToken(headers: Headers): string | null {
  return /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1] ?? null;
}

function cookieValues(header: string | null, name: string): string[] {
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

/** What a request presents: no credential, a wrong one, or the right cookie or bearer token. */
export type LocalCredential = 'valid' | 'invalid' | 'absent';

export function localCredential(headers: Headers, secret: string, port: number): LocalCredential {
  const bearer = bearerToken(headers);
  const cookies = cookieValues(headers.get('cookie'), localAccessCookieName(port));
  if (bearer === null && cookies.length === 0) return 'absent';
  if (bearer !== null && sameToken(bearer, secret)) return 'valid';
  const expected = localAccessCookieValue(secret);
  return cookies.some((c) => sameToken(c, expected)) ? 'valid' : 'invalid';
}

/** This server's secret, read on each use (a few microseconds) so a replaced file takes effect at once. */
export function serverLocalSecret(): string {
  return ensureLocalSecret(getEnv().dataDir);
}

/**
 * Whether these headers are the local person: always with PROCLENS_LOCAL_AUTH=off, else only with
 * the access token. Hosted mode never asks (it has sign-in).
 */
export function localAccess(headers: Headers): 'off' | LocalCredential {
  const env = getEnv();
  if (!env.localAuth) return 'off';
  return localCredential(headers, serverLocalSecret(), env.PORT);
}
