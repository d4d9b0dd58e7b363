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

  it('treats empty values as unset', () => {
    expect(parseEnv({ PORT: '', DATABASE_URL: '  ' }).PORT).toBe(3000);
    expect(parseEnv({ DATABASE_URL: '' }).dbMode).toBe('pglite');
  });

  it('switches to Postgres when DATABASE_URL is set', () => {
    expect(parseEnv({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/db' }).dbMode).toBe('postgres');
  });
});
