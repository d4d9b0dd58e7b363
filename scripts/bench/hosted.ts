import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { fleetPrevalence } from '@/db/queries/fleet';
import { startTempPostgres } from '@/scripts/test/pg-cluster';
import { storeSnapshot, type AgentSnapshot } from '@/server/services/runs';
import { makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import type { Benchmark } from './context';
import { line } from './report';
import { median, round, timed } from './stats';

/**
 * Hosted mode on a throwaway PostgreSQL 15: how fast agent snapshots are stored (validation aside:
 * the transaction with fleet refresh), and how long the prevalence query takes on 1,000 hosts ×
 * 300 processes. Baselines are measured in the same run on the same cluster: the bare INSERT of
 * the same rows, and prevalence counted from the raw process rows without the precomputed table.
 */
const PROCESSES = 300;
const COMMON_POOL = 300;
const RARE_PER_HOST = 5;

const hex = (seed: string, alg: 'md5' | 'sha1' | 'sha256') => crypto.createHash(alg).update(seed).digest('hex');
const hashesOf = (seed: string) => ({
  md5: hex(seed, 'md5'),
  sha1: hex(seed, 'sha1'),
  sha256: hex(seed, 'sha256'),
  size: 4096,
});

/** A realistic host: mostly fleet-common executables (shared by several processes), a few rare ones. */
function hostSnapshot(i: number): AgentSnapshot {
  const base = makeSnapshot({ n: 1, hostKey: `bench-${i}`, hostname: `bench-${String(i).padStart(4, '0')}` });
  const template = base.processes[0]!;
  const processes = Array.from({ length: PROCESSES }, (_, p) => {
    const rare = p < RARE_PER_HOST;
    const seed = rare ? `rare-${i}-${p}` : `common-${(p * 7 + i) % COMMON_POOL}`;
    return {
      ...template,
      pid: 1000 + p,
      name: rare ? `rare-${p}` : `svc-${(p * 7 + i) % COMMON_POOL}`,
      exe: `/usr/bin/${seed}`,
      hashes: hashesOf(seed),
    };
  });
  return {
    ...base,
    processes,
    stats: { ...base.stats, totalProcesses: PROCESSES, processCount: PROCESSES },
    snapshotId: crypto.randomUUID(),
    agentVersion: 'bench',
  };
}

async function execute(db: Db, q: ReturnType<typeof sql>) {
  await db.execute(q);
}

export const hostedBench: Benchmark = {
  name: 'hosted',
  about:
    'hosted mode on PostgreSQL: ingest throughput of 300-process snapshots, prevalence query on 1,000 hosts × 300 processes',
  async run(ctx) {
    const pg = await startTempPostgres();
    const saved = { ...process.env };
    try {
      const handle = await openTestDb({ databaseUrl: pg.url });
      const db = handle.db;
      const hosts = ctx.quick ? 200 : 1000;
      const timedIngest = ctx.reps(60, 20);

      // 1. Ingest throughput: the storing transaction of snapshots from distinct hosts, one at a
      //    time (an app process handles each request in one transaction).
      ctx.log(`ingest: ${timedIngest} snapshots of ${PROCESSES} processes`);
      const snaps = Array.from({ length: timedIngest }, (_, i) => hostSnapshot(i));
      const ingest = await timed(async () => {
        for (const s of snaps)
          await storeSnapshot(db, s, 'agent', { snapshotId: s.snapshotId, agentVersion: 'bench', tokenId: null });
      });
      const perSecond = timedIngest / (ingest.ms / 1000);
      // Baseline: the same process rows inserted bare, one multi-row INSERT per snapshot.
      await execute(db, sql`create temp table bench_rows (run int, pid int, name text, exe text, sha256 text)`);
      const bare = await timed(async () => {
        for (const [n, s] of snaps.entries()) {
          const values = s.processes.map(
            (p) => sql`(${n}, ${p.pid}, ${p.name}, ${p.exe}, ${p.hashes?.sha256 ?? null})`,
          );
          await execute(db, sql`insert into bench_rows values ${sql.join(values, sql`, `)}`);
        }
      });
      const barePerSecond = timedIngest / (bare.ms / 1000);

      // 2. The rest of the fleet, up to `hosts` hosts, then the prevalence query.
      ctx.log(`seeding ${hosts} hosts × ${PROCESSES} processes`);
      for (let i = timedIngest; i < hosts; i++) {
        const s = hostSnapshot(i);
        await storeSnapshot(db, s, 'agent', { snapshotId: s.snapshotId, agentVersion: 'bench', tokenId: null });
      }
      await execute(db, sql`analyze`);
      const reps = ctx.reps(15, 5);
      const rare: number[] = [];
      const byScore: number[] = [];
      const naive: number[] = [];
      let rows = 0;
      for (let r = 0; r < reps; r++) {
        const a = await timed(() => fleetPrevalence(db, { sort: 'hosts', limit: 2_000 }));
        rows = a.value.length;
        rare.push(a.ms);
        byScore.push((await timed(() => fleetPrevalence(db, { sort: 'vtScore', limit: 2_000 }))).ms);
        naive.push(
          (
            await timed(() =>
              db.execute(sql`select rp.sha256, count(distinct r.host_id) as hosts, count(*) as processes
                               from run_processes rp join runs r on r.id = rp.run_id
                              where rp.sha256 is not null group by rp.sha256 order by hosts asc limit 2000`),
            )
          ).ms,
        );
      }
      const [{ n: distinct } = { n: 0 }] = (
        (await db.execute(sql`select count(*)::int as n from executable_prevalence`)) as unknown as {
          rows: Array<{ n: number }>;
        }
      ).rows;
      ctx.details.hosted = {
        hosts,
        processesPerHost: PROCESSES,
        distinctExecutables: distinct,
        ingest: {
          snapshots: timedIngest,
          ms: round(ingest.ms, 0),
          perSecond: round(perSecond, 1),
          bareMs: round(bare.ms, 0),
        },
        prevalenceMs: {
          fewestHosts: rare.map((v) => round(v, 1)),
          byVtScore: byScore.map((v) => round(v, 1)),
          naive: naive.map((v) => round(v, 1)),
        },
        rowsReturned: rows,
      };
      const fleet = `${hosts.toLocaleString('en')} hosts × ${PROCESSES} processes, ${distinct.toLocaleString('en')} distinct executables`;
      return [
        line({
          bench: 'hosted',
          name: `Hosted: ingest throughput, ${PROCESSES}-process snapshots`,
          figure: { value: perSecond, unit: 'snapshots/s' },
          baseline: { value: barePerSecond, unit: 'snapshots/s', label: 'bare INSERT of the same rows' },
          target: null,
          note: `${timedIngest} snapshots from distinct hosts, one transaction each (host, run, executables, processes, fleet counts, snapshot id)`,
        }),
        line({
          bench: 'hosted',
          name: `Hosted: prevalence query, fewest hosts first (${fleet})`,
          figure: { value: median(rare), unit: 'ms' },
          baseline: { value: median(naive), unit: 'ms', label: 'counting hosts from the process rows' },
          target: { on: 'figure', op: '<=', value: 250, label: '≤ 250 ms' },
          note: `median of ${reps}; first 2,000 rows with names and paths`,
        }),
        line({
          bench: 'hosted',
          name: `Hosted: prevalence query, VTScore first (${fleet})`,
          figure: { value: median(byScore), unit: 'ms' },
          baseline: { value: median(naive), unit: 'ms', label: 'counting hosts from the process rows' },
          target: { on: 'figure', op: '<=', value: 250, label: '≤ 250 ms' },
          note: `median of ${reps}`,
        }),
      ];
    } finally {
      await closeTestDb();
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      await pg.stop();
    }
  },
};
