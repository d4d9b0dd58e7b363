import { eq, sql } from 'drizzle-orm';
import type { Db } from '../index';
import { iocSql } from '../rules/triage';
import { executables, hashTriage, runProcesses, runs, vtVerdicts } from '../schema';

/**
 * Every hash seen in any run that belongs on the IOC list (domain/triage.ts `onIocList`, in SQL
 * `iocSql`): confirmed malicious by an analyst whatever VirusTotal says, or untriaged with a stored
 * VirusTotal answer reaching `threshold`. With how many hosts ran it and under which names, most detected first.
 */
export async function fleetMaliciousHashes(db: Db, threshold: number) {
  return db
    .select({
      sha256: executables.sha256,
      md5: executables.md5,
      sha1: executables.sha1,
      vtScore: vtVerdicts.vtScore,
      totalEngines: vtVerdicts.totalEngines,
      threatLabel: vtVerdicts.threatLabel,
      triage: hashTriage.decision,
      hosts: sql<number>`count(distinct ${runs.hostId})::int`,
      names: sql<string[]>`(array_agg(distinct ${runProcesses.name} order by ${runProcesses.name}))[1:20]`,
    })
    .from(executables)
    .innerJoin(runProcesses, eq(runProcesses.sha256, executables.sha256))
    .innerJoin(runs, eq(runs.id, runProcesses.runId))
    .leftJoin(vtVerdicts, eq(vtVerdicts.sha256, executables.sha256))
    .leftJoin(hashTriage, eq(hashTriage.sha256, executables.sha256))
    .where(iocSql(vtVerdicts, threshold, hashTriage.decision))
    .groupBy(executables.sha256, vtVerdicts.sha256, hashTriage.sha256)
    .orderBy(sql`${vtVerdicts.vtScore} desc nulls last`, executables.sha256);
}
