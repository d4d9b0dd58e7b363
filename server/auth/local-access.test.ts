import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCESS_FILE, localAccessCookieName, localAccessCookieValue } from '@/domain/local-access';
import { tempDataDir } from '@/tests/helpers';
import { ensureLocalSecret, localCredential, readLocalSecret, sameToken } from './local-access';

describe('the local access secret in DATA_DIR', () => {
  it('is made once, 0600 in a 0700 DATA_DIR, and is the same on every later read (a bookmark keeps working)', () => {
    const dir = path.join(tempDataDir(), 'data');
    expect(readLocalSecret(dir)).toBeNull();
    const secret = ensureLocalSecret(dir);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(dir, LOCAL_ACCESS_FILE)).mode & 0o777).toBe(0o600);
    expect(ensureLocalSecret(dir)).toBe(secret);
    expect(readLocalSecret(dir)).toBe(secret);
    // No temporary file is left behind.
    expect(fs.readdirSync(dir)).toEqual([LOCAL_ACCESS_FILE]);
  });

  it('tightens a file others could read, and replaces one that holds no secret', () => {
    const dir = tempDataDir();
    const file = path.join(dir, LOCAL_ACCESS_FILE);
    const secret = ensureLocalSecret(dir);
    fs.chmodSync(file, 0o644);
    expect(ensureLocalSecret(dir)).toBe(secret);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.writeFileSync(file, 'not a secret\n');
    const fresh = ensureLocalSecret(dir);
    expect(fresh).not.toBe(secret);
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("every later maker finds the first one's secret", () => {
    const dir = tempDataDir();
    const made = Array.from({ length: 8 }, () => ensureLocalSecret(dir));
    expect(new Set(made).size).toBe(1);
  });
});

describe('what a request presents', () => {
  const secret = 'x'.repeat(43);
  const name = localAccessCookieName(3000);
  const h = (init: Record<string, string>) => new Headers(init);

  it('absent, invalid or valid; the cookie carries a value derived from the secret, not the secret', () => {
    expect(localCredential(h({}), secret, 3000)).toBe('absent');
    expect(localCredential(h({ cookie: 'other=1' }), secret, 3000)).toBe('absent');
    expect(localCredential(h({ authorization: `Bearer ${secret}` }), secret, 3000)).toBe('valid');
    expect(localCredential(h({ authorization: `Bearer ${secret}y` }), secret, 3000)).toBe('invalid');
    expect(localCredential(h({ authorization: `Basic ${secret}` }), secret, 3000)).toBe('absent');
    expect(localCredential(h({ cookie: `${name}=${localAccessCookieValue(secret)}` }), secret, 3000)).toBe('valid');
    expect(localCredential(h({ cookie: `${name}=${secret}` }), secret, 3000)).toBe('invalid');
    expect(localAccessCookieValue(secret)).not.toContain(secret);
    // A stale cookie beside a valid one (another path), or a wrong bearer beside a valid cookie.
    expect(localCredential(h({ cookie: `${name}=old; ${name}=${localAccessCookieValue(secret)}` }), secret, 3000)).toBe(
      'valid',
    );
    expect(
      localCredential(
        h({ authorization: 'Bearer wrong', cookie: `${name}=${localAccessCookieValue(secret)}` }),
        secret,
        3000,
      ),
    ).toBe('valid');
  });

  it('compares whole values only, and refuses an over-long one without hashing megabytes', () => {
    expect(sameToken(secret, secret)).toBe(true);
    expect(sameToken(secret.slice(1), secret)).toBe(false);
    expect(sameToken('', secret)).toBe(false);
    expect(sameToken('x'.repeat(10_000), 'x'.repeat(10_000))).toBe(false);
  });
});
