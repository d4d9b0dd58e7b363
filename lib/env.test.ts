import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env';

describe('configuration', () => {
  it('has working defaults', () => {
    const env = parseEnv({});
    expect(env.HOST).toBe('127.0.0.1');
    expect(env.PORT).toBe(3000);
    expect(env.dbMode).toBe('pglite');
    expect(env.dataDir.endsWith('/data')).toBe(true);
    expect(env.hashWorkers).toBeGreaterThan(0);
  });

  it('names the bad variable and never echoes a secret value', () => {
    expect(() => parseEnv({ PORT: 'eighty' })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: '70000' })).toThrow(/PORT/);
    try {
      parseEnv({ DATABASE_URL: 'mysql://user:s3cret@db/x' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/DATABASE_URL/);
      expect((e as Error).message).not.toMatch(/s3cret/);
    }
  });

  it('caps new VirusTotal lookups per host and day: a whole number of at least 1, 200 by default', () => {
    expect(parseEnv({}).INGEST_VT_NEW_PER_HOST_DAY).toBe(200);
    expect(parseEnv({ INGEST_VT_NEW_PER_HOST_DAY: '50' }).INGEST_VT_NEW_PER_HOST_DAY).toBe(50);
    for (const bad of ['0', '-5', '2.5', 'lots', '1e9']) {
      expect(() => parseEnv({ INGEST_VT_NEW_PER_HOST_DAY: bad })).toThrow(/INGEST_VT_NEW_PER_HOST_DAY/);
    }
  });

  it('treats empty values as unset', () => {
    expect(parseEnv({ PORT: '', DATABASE_URL: '  ' }).PORT).toBe(3000);
    expect(parseEnv({ DATABASE_URL: '' }).dbMode).toBe('pglite');
  });

  it('switches to Postgres when DATABASE_URL is set', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' }).dbMode).toBe('postgres');
  });

  describe('hosted mode', () => {
    const hosted = {
      PROCLENS_MODE: 'hosted',
      DATABASE_URL: 'postgres://u:pw@127.0.0.1:5432/db',
      AUTH_SECRET: 'x'.repeat(40),
      PROCLENS_PUBLIC_URL: 'https://proclens.example.org',
    };

    it('defaults to local mode', () => {
      expect(parseEnv({}).hosted).toBe(false);
    });

    it('starts with PostgreSQL, a secret and a public URL', () => {
      const env = parseEnv(hosted);
      expect(env.hosted).toBe(true);
      expect(env.PROCLENS_PUBLIC_URL).toBe('https://proclens.example.org');
    });

    it.each([
      ['DATABASE_URL', /DATABASE_URL: hosted mode needs PostgreSQL.*PGlite/],
      ['AUTH_SECRET', /AUTH_SECRET: hosted mode needs a secret/],
      ['PROCLENS_PUBLIC_URL', /PROCLENS_PUBLIC_URL: hosted mode needs the address/],
    ])('refuses to start without %s and names it', (name, message) => {
      expect(() => parseEnv({ ...hosted, [name]: '' })).toThrow(message);
    });

    it('rejects a short secret without echoing it', () => {
      try {
        parseEnv({ ...hosted, AUTH_SECRET: 'tooshort-secret' });
        expect.unreachable();
      } catch (e) {
        expect((e as Error).message).toMatch(/AUTH_SECRET: must be at least 32/);
        expect((e as Error).message).not.toMatch(/tooshort-secret/);
      }
    });
  });
  it('reads TRUSTED_PROXIES as IPs and CIDR ranges, and names the variable on a bad entry', () => {
    expect(parseEnv({}).trustedProxies).toBeNull();
    const env = parseEnv({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8 ::1 fd00::/8' });
    expect(env.trustedProxies?.entries).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(env.trustedProxies?.contains('10.9.8.7')).toBe(true);
    expect(() => parseEnv({ TRUSTED_PROXIES: '127.0.0.1, nginx.local' })).toThrow(
      /TRUSTED_PROXIES: "nginx.local" is not an IP address or a CIDR range/,
    );
    expect(() => parseEnv({ TRUSTED_PROXIES: '10.0.0.0/40' })).toThrow(/TRUSTED_PROXIES: "10.0.0.0\/40"/);
  });
});
