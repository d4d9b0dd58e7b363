import { and, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../index';
import { executables, runProcesses, runs, vtVerdicts } from '../schema';

/**
 * Every hash seen in any run whose stored VirusTotal answer reaches `threshold`, with how many hosts
 * ran it and under which names, most detected first.
 */
export async function fleetMaliciousHashes(db: Db, threshold: number) {
  return db
    .select({
      sha256: executables.sha256,
      md5: executables.md5,
      sha1: executables.sha1,
      vtScore: sql<number>`${vtVerdicts.vtScore}`,
      totalEngines: vtVerdicts.totalEngines,
      threatLabel: vtVerdicts.threatLabel,
      hosts: sql<number>`count(distinct ${runs.hostId})::int`,
      names: sql<string[]>`(array_agg(distinct ${runProcesses.name} order by ${runProcesses.name}))[1:20]`,
    })
    .from(vtVerdicts)
    .innerJoin(executables, eq(executables.sha256, vtVerdicts.sha256))
    .innerJoin(runProcesses, eq(runProcesses.sha256, vtVerdicts.sha256))
    .innerJoin(runs, eq(runs.id, runProcesses.runId))
    .where(and(eq(vtVerdicts.found, true), gte(vtVerdicts.vtScore, threshold)))
    .groupBy(executables.sha256, vtVerdicts.sha256)
    .orderBy(desc(vtVerdicts.vtScore), executables.sha256);
}
