import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { claimJob } from '@/db/queries/vt';
import { postgresAvailable, startTempPostgres } from '@/scripts/test/pg-cluster';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { removeDir, tempDir } from './cleanup';
import type { BenchContext, Benchmark } from './context';
import { line, type BenchLine } from './report';
import { median, round } from './stats';

/**
 * The VirusTotal claim (db/queries/vt-turns.ts) on a big synthetic queue: one agent host with
 * 100,000 queued lookups among 99 hosts with 10 each, against the same claim on the 99 small hosts
 * alone (the baseline, same database, measured first). No table statistics are gathered (PGlite
 * never runs ANALYZE): the plan must not depend on them. PGlite always; PostgreSQL 15 when installed.
 */
const FLOOD = 100_000;
const SMALL_HOSTS = 99;
const PER_SMALL_HOST = 10;

const sha = (prefix: string, n: ReturnType<typeof sql>) =>
  sql`md5(${prefix} || ${n}::text) || md5(${prefix} || 'x' || ${n}::text)`;

async function addHosts(db: Db, prefix: string, n: number): Promise<number[]> {
  const res = (await db.execute(sql`
    insert into hosts (host_key, hostname, platform)
    select ${prefix} || g, ${prefix} || g, 'linux' from generate_series(1, ${n}) g returning id`)) as unknown as {
    rows: Array<{ id: number }>;
  };
  return res.rows.map((r) => Number(r.id));
}

/** `n` queued jobs that host `hostId` waits for, at the agents' priority with mixed ranks. */
async function addJobs(db: Db, hostId: number, prefix: string, n: number): Promise<void> {
  await db.execute(sql`insert into vt_jobs (sha256) select ${sha(prefix, sql`g`)} from generate_series(1, ${n}) g`);
  await db.execute(sql`
    insert into vt_job_hosts (host_id, sha256, priority, rank, host_count)
    select ${hostId}, ${sha(prefix, sql`g`)}, 1, g % 4, 1 + g % 3 from generate_series(1, ${n}) g`);
  await db.execute(sql`insert into vt_host_turns (host_id, priority) values (${hostId}, 1)`);
}

/** Milliseconds per claim (client side, round trip included), `n` claims in a row after a warm-up. */
async function timeClaims(db: Db, n: number): Promise<number[]> {
  for (let i = 0; i < 5; i++) await claimJob(db, 'bench', 600_000);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const job = await claimJob(db, 'bench', 600_000);
    out.push(performance.now() - t0);
    if (!job) throw new Error('the synthetic queue ran dry');
  }
  return out;
}

/** The server-side execution time and plan of one claim (EXPLAIN ANALYZE, rolled back). */
async function explainClaim(db: Db): Promise<{ executionMs: number; plan: string }> {
  const original = db.execute.bind(db);
  let captured: { executionMs: number; plan: string } | null = null;
  const spy = Object.create(db) as Db;
  spy.execute = (async (q: ReturnType<typeof sql>) => {
    const res = (await original(sql`explain (analyze, format text) ${q}`)) as unknown as {
      rows: Array<Record<string, string>>;
    };
    const text = res.rows.map((r) => Object.values(r)[0]).join('\n');
    captured = { executionMs: Number(/Execution Time: ([\d.]+) ms/.exec(text)?.[1] ?? NaN), plan: text };
    return { rows: [] };
  }) as Db['execute'];
  await claimJob(spy, 'bench-explain', 600_000);
  if (!captured) throw new Error('no plan captured');
  return captured;
}

async function measure(ctx: BenchContext, db: Db, engine: string): Promise<BenchLine[]> {
  const reps = ctx.reps(200, 50);
  const hosts = await addHosts(db, `bench-small-${engine}-`, SMALL_HOSTS);
  for (const [i, id] of hosts.entries()) await addJobs(db, id, `s${i}-`, PER_SMALL_HOST);
  const small = await timeClaims(db, reps);
  const [flood] = await addHosts(db, `bench-flood-${engine}-`, 1);
  ctx.log(`${engine}: queueing ${FLOOD.toLocaleString('en')} jobs for one host`);
  await addJobs(db, flood!, 'flood-', FLOOD);
  const big = await timeClaims(db, reps);
  const explained = await explainClaim(db);
  ctx.details[`vtQueue-${engine}`] = { reps, smallMs: small, bigMs: big, explain: explained.plan };
  const queued = SMALL_HOSTS * PER_SMALL_HOST;
  return [
    line({
      bench: 'vtqueue',
      name: `VirusTotal claim, ${engine}: ${FLOOD.toLocaleString('en')} jobs of one host queued`,
      figure: { value: round(median(big), 2), unit: 'ms' },
      baseline: { value: round(median(small), 2), unit: 'ms', label: `${queued} jobs of ${SMALL_HOSTS} hosts` },
      target: { on: 'ratio', op: '<=', value: 2, label: '≤ 2×' },
      note:
        `median of ${reps} claims each, round trip included; EXPLAIN ANALYZE of one claim on the big queue: ` +
        `${round(explained.executionMs, 2)} ms on the server (no ANALYZE run: no table statistics)`,
    }),
  ];
}

export const vtQueueBench: Benchmark = {
  name: 'vtqueue',
  about: `the VirusTotal claim with ${FLOOD.toLocaleString('en')} queued jobs vs ${SMALL_HOSTS * PER_SMALL_HOST} (PGlite, PostgreSQL)`,
  async run(ctx) {
    const lines: BenchLine[] = [];
    const dataDir = tempDir('proclens-bench-vtqueue-');
    try {
      const handle = await openTestDb({ dataDir });
      lines.push(...(await measure(ctx, handle.db, 'PGlite')));
    } finally {
      await closeTestDb();
      removeDir(dataDir);
    }
    if (!postgresAvailable()) {
      ctx.log('PostgreSQL is not installed: the PostgreSQL line is skipped');
      return lines;
    }
    const pg = await startTempPostgres();
    try {
      const handle = await openTestDb({ databaseUrl: pg.url });
      lines.push(...(await measure(ctx, handle.db, 'PostgreSQL')));
    } finally {
      await closeTestDb();
      await pg.stop();
    }
    return lines;
  },
};
