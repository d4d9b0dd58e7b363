import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/db';
import { startTempPostgres } from '@/scripts/test/pg-cluster';
import { resetAuthForTests } from '@/server/auth/auth';
import { resetEnvForTests } from '@/lib/env';
import { cli } from '@/tests/cli';
import { closeTestDb, openTestDb, tempDataDir } from '@/tests/helpers';

/**
 * The team commands as a person runs them, and `proclens agent` pushing over HTTP to the real
 * ingest route (served from this process) on a throwaway PostgreSQL.
 */
describe('hosted CLI and agent', () => {
  let pg: Awaited<ReturnType<typeof startTempPostgres>>;
  let server: http.Server;
  let url: string;
  let env: Record<string, string>;
  /** What the ingest route answers can be switched to a 503 (a server that is down for maintenance). */
  let down = false;

  beforeAll(async () => {
    pg = await startTempPostgres();
    Object.assign(process.env, { INGEST_VT_CHECK: 'off' });
    resetEnvForTests();
    resetAuthForTests();
    await openTestDb({ databaseUrl: pg.url });
    const { POST } = await import('@/app/api/ingest/route');
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      if (down) {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"maintenance"}}');
        return;
      }
      const answer = await POST(
        new Request(`http://127.0.0.1${req.url}`, {
          method: req.method,
          // As the real server is addressed: the route runs the request gate (Host allowlist) itself.
          headers: { ...(req.headers as Record<string, string>), host: '127.0.0.1:3000' },
          body: Buffer.concat(chunks),
        }),
        {},
      );
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = { DATABASE_URL: pg.url, PROCLENS_PASSWORD: 'correct horse battery staple' };
  });
  afterAll(async () => {
    server?.close();
    resetAuthForTests();
    await closeTestDb();
    delete process.env.INGEST_VT_CHECK;
    resetEnvForTests();
    await pg?.stop();
  });

  it('admin create-user bootstraps a person without a browser and refuses bad input with a sentence', async () => {
    const ok = await cli(['admin', 'create-user', '--email', 'ana@example.org', '--role', 'admin'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/created ana@example.org with role admin/);
    expect(ok.stdout).not.toContain('correct horse');
    const dup = await cli(['admin', 'create-user', '--email', 'ana@example.org', '--role', 'admin'], env);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/already exists/);
    const role = await cli(['admin', 'create-user', '--email', 'bo@example.org', '--role', 'root'], env);
    expect(role.stderr).toMatch(/--role must be one of admin, analyst, viewer/);
    const noPw = await cli(['admin', 'create-user', '--email', 'bo@example.org', '--role', 'viewer'], {
      DATABASE_URL: pg.url,
    });
    expect(noPw.code).toBe(2);
    expect(noPw.stderr).toMatch(/PROCLENS_PASSWORD/);
  }, 180_000);

  it('token create prints the token alone; agents push; hosts, prevalence and runs show them; revoke stops the agent', async () => {
    const created = await cli(['token', 'create', '--name', 'lab'], env);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(created.stdout).toMatch(/^plt_[A-Za-z0-9_-]{43}\n$/);

    const list = JSON.parse((await cli(['token', 'list', '--json'], env)).stdout) as {
      tokens: Array<{ name: string; prefix: string; lastUsedAt: string | null }>;
    };
    expect(list.tokens).toEqual([
      expect.objectContaining({ name: 'lab', prefix: token.slice(0, 12), lastUsedAt: null }),
    ]);

    const stateA = tempDataDir('proclens-agent-a-');
    const stateB = tempDataDir('proclens-agent-b-');
    const a = await cli(['agent', '--server', url, '--token', token, '--host-name', 'alpha', '--once'], {
      ...env,
      AGENT_STATE_DIR: stateA,
    });
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/snapshot stored as run \d+/);
    const b = await cli(['agent', '--server', url, '--host-name', 'beta', '--once'], {
      ...env,
      AGENT_STATE_DIR: stateB,
      PROCLENS_AGENT_TOKEN: token,
    });
    expect(b.code, b.stderr).toBe(0);
    // The warm run reads its hashes from the state folder's cache file.
    expect(fs.existsSync(`${stateA}/hash-cache.json`)).toBe(true);
    expect(fs.readdirSync(`${stateA}/spool`)).toEqual([]);

    const hosts = JSON.parse((await cli(['hosts', '--json'], env)).stdout) as {
      hosts: Array<{ hostname: string; agentVersion: string; processes: number }>;
    };
    expect(hosts.hosts.map((h) => h.hostname).sort()).toEqual(['alpha', 'beta']);
    expect(hosts.hosts[0]!.agentVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(hosts.hosts[0]!.processes).toBeGreaterThan(0);

    const prev = JSON.parse((await cli(['prevalence', '--json'], env)).stdout) as {
      hashes: Array<Record<string, unknown>>;
    };
    expect(prev.hashes.length).toBeGreaterThan(0);
    expect(Object.keys(prev.hashes[0]!).sort()).toEqual(
      ['hosts', 'md5', 'names', 'paths', 'processes', 'sha1', 'sha256', 'verdict', 'vtScore'].sort(),
    );
    const counts = prev.hashes.map((h) => h.hosts as number);
    expect(counts).toEqual([...counts].sort((x, y) => x - y));
    // The same machine under two names: its executables run on both "hosts".
    expect(counts.at(-1)).toBe(2);
    const max1 = JSON.parse((await cli(['prevalence', '--max-hosts', '1', '--json'], env)).stdout) as {
      hashes: Array<{ hosts: number }>;
    };
    expect(max1.hashes.every((h) => h.hosts <= 1)).toBe(true);

    const runs = JSON.parse((await cli(['runs', '--host', 'alpha', '--json'], env)).stdout) as {
      runs: Array<{ host: string; source: string }>;
    };
    expect(runs.runs).toEqual([expect.objectContaining({ host: 'alpha', source: 'agent' })]);

    const revoked = await cli(['token', 'revoke', 'lab'], env);
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await cli(['agent', '--server', url, '--token', token, '--host-name', 'alpha', '--once'], {
      ...env,
      AGENT_STATE_DIR: stateA,
    });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/token invalid or revoked/);
    const again = await cli(['token', 'revoke', 'lab'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/No active token is named "lab"/);
    // Each step is a whole CLI process; the shared test machine makes them slow.
  }, 300_000);

  it('token reassign hands a token to another admin; the list shows owners and a token that died with its owner', async () => {
    for (const [email, role] of [
      ['keeper@example.org', 'admin'],
      ['watcher@example.org', 'viewer'],
    ] as const) {
      const made = await cli(['admin', 'create-user', '--email', email, '--role', role], env);
      expect(made.code, made.stderr).toBe(0);
    }
    expect((await cli(['token', 'create', '--name', 'handover'], env)).code).toBe(0);
    const listed = async () =>
      (
        JSON.parse((await cli(['token', 'list', '--json'], env)).stdout) as {
          tokens: Array<{ name: string; owner: string | null; status: string }>;
        }
      ).tokens.find((t) => t.name === 'handover');
    // Made from the CLI: the operator's token.
    expect(await listed()).toMatchObject({ owner: null, status: 'active' });

    const moved = await cli(['token', 'reassign', 'handover', '--to', 'Keeper@Example.org'], env);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toMatch(/token "handover" now belongs to keeper@example.org/);
    expect(await listed()).toMatchObject({ owner: 'keeper@example.org', status: 'active' });

    const toViewer = await cli(['token', 'reassign', 'handover', '--to', 'watcher@example.org'], env);
    expect(toViewer.code).toBe(2);
    expect(toViewer.stderr).toMatch(/watcher@example.org is not an admin/);
    const missing = await cli(['token', 'reassign', 'nope', '--to', 'keeper@example.org'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No token named "nope" can be re-assigned/);
    const noTo = await cli(['token', 'reassign', 'handover'], env);
    expect(noTo.code).toBe(2);
    expect(noTo.stderr).toMatch(/--to is required/);

    await (await getDb()).execute(sql`delete from "user" where email = 'keeper@example.org'`);
    expect(await listed()).toMatchObject({ owner: 'keeper@example.org', status: 'owner-removed' });
    const table = await cli(['token', 'list'], env);
    expect(table.stdout).toMatch(/handover .*keeper@example\.org .*stopped: owner removed/);
  }, 180_000);

  it('a down server: the snapshot waits in the spool and goes out on the next run', async () => {
    const token = (await cli(['token', 'create', '--name', 'spooler'], env)).stdout.trim();
    const state = tempDataDir('proclens-agent-spool-');
    down = true;
    const first = await cli(['agent', '--server', url, '--token', token, '--host-name', 'gamma', '--once'], {
      ...env,
      AGENT_STATE_DIR: state,
    });
    down = false;
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/wait in .*spool/);
    expect(fs.readdirSync(`${state}/spool`)).toHaveLength(1);
    const second = await cli(['agent', '--server', url, '--token', token, '--host-name', 'gamma', '--once'], {
      ...env,
      AGENT_STATE_DIR: state,
    });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr.match(/snapshot stored as run/g)).toHaveLength(2);
    expect(fs.readdirSync(`${state}/spool`)).toEqual([]);
    const runs = JSON.parse((await cli(['runs', '--host', 'gamma', '--json'], env)).stdout) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(2);
  }, 180_000);

  it('refuses bad agent arguments with a sentence', async () => {
    const noServer = await cli(['agent', '--token', 'x', '--once'], env);
    expect(noServer.code).toBe(2);
    expect(noServer.stderr).toMatch(/--server is required/);
    const badUrl = await cli(['agent', '--server', 'ftp://x', '--token', 'x', '--once'], env);
    expect(badUrl.stderr).toMatch(/--server must be an http\(s\) URL/);
    const badInterval = await cli(['agent', '--server', url, '--token', 'x', '--interval', '2s'], env);
    expect(badInterval.stderr).toMatch(/--interval must be like/);
  }, 180_000);
});
