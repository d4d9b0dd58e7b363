import fs from 'node:fs';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { postgresAvailable, startTempPostgres } from './pg-cluster';

describe('startTempPostgres', () => {
  test('finds the PostgreSQL server binaries (npm test installs the postgresql package)', () => {
    expect(postgresAvailable()).toBe(true);
  });

  test('starts a throwaway cluster that takes SQL, and stop() removes it', async () => {
    const cluster = await startTempPostgres();
    let stopped = false;
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/proclens@127\.0\.0\.1:\d+\/proclens_test$/);
      expect(fs.existsSync(cluster.dataDir)).toBe(true);

      const client = new pg.Client({ connectionString: cluster.url });
      await client.connect();
      try {
        const { rows } = await client.query<{ version: string }>('SELECT version()');
        expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);

        await client.query('CREATE TABLE probe (id serial PRIMARY KEY, name text NOT NULL)');
        await client.query('INSERT INTO probe (name) VALUES ($1), ($2)', ['a', 'b']);
        const count = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM probe');
        expect(count.rows[0]?.n).toBe(2);
      } finally {
        await client.end();
      }

      await cluster.stop();
      stopped = true;
      expect(fs.existsSync(cluster.dataDir)).toBe(false);

      const after = new pg.Client({ connectionString: cluster.url, connectionTimeoutMillis: 2_000 });
      await expect(after.connect()).rejects.toThrow();
      await after.end().catch(() => {});
    } finally {
      if (!stopped) await cluster.stop();
    }
  });

  test('two clusters run side by side on different ports', async () => {
    const [a, b] = await Promise.all([startTempPostgres(), startTempPostgres()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.dataDir).not.toBe(b.dataDir);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
