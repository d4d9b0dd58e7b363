import 'server-only';
import type { Db } from '@/db';
import {
  fleetPrevalence,
  hashHostsAndProcesses,
  listFleetHosts,
  newVsKnownByDay,
  type PrevalenceQuery,
} from '@/db/queries/fleet';
import { fillDays, utcDay, type NewKnownDay } from '@/domain/charts';
import { getEnv } from '@/lib/env';
import { logger } from '@/lib/logger';
import { getVtSettings, startAgentSnapshotCheck, VtNotConfiguredError } from '../virustotal';
import { NOT_QUEUED_OVER_SHARE } from '@/domain/vt-queue';
import { vtStateOf } from '@/domain/vt-state';

/**
 * Queues an agent snapshot's hashes for VirusTotal (INGEST_VT_CHECK). The queue asks each hash
 * once: cached verdicts and hashes already queued for another run cost nothing. New ones count
 * against the host's daily share; what is over it is kept, not queued.
 */
export async function queueAgentSnapshotHashes(db: Db, runId: number, now = new Date()): Promise<void> {
  if (getEnv().INGEST_VT_CHECK !== 'on') return;
  try {
    const { held } = await startAgentSnapshotCheck(db, runId, now);
    if (held > 0) {
      logger.info({ runId, held, perDay: getEnv().INGEST_VT_NEW_PER_HOST_DAY }, `${held} ${NOT_QUEUED_OVER_SHARE}`);
    }
  } catch (e) {
    if (e instanceof VtNotConfiguredError) return;
    // The snapshot is stored; a failed queueing only delays its check (an analyst can start it).
    logger.warn(
      { runId, err: e instanceof Error ? e.message : String(e) },
      'could not queue the snapshot for VirusTotal',
    );
  }
}

/**
 * Every host with its newest run's counts, and its VirusTotal share: new lookups its agent's
 * snapshots queued today (UTC) against INGEST_VT_NEW_PER_HOST_DAY, and how many of its newest run's
 * hashes the share left out (the hosts page shows the cap where it bites).
 */
export async function fleetHosts(db: Db, now = new Date()) {
  const { maliciousThreshold } = await getVtSettings(db);
  const perDay = getEnv().INGEST_VT_NEW_PER_HOST_DAY;
  const rows = await listFleetHosts(db, maliciousThreshold, utcDay(now));
  return rows.map(({ vtQueuedToday, vtHeldLastRun, ...h }) => ({
    ...h,
    vtShare: { perDay, queuedToday: vtQueuedToday, heldLastRun: vtHeldLastRun },
  }));
}

export type PrevalenceVerdict =
  'malicious' | 'needs-research' | 'not-malicious' | 'not-found' | 'pending' | 'failed' | null;

/** The prevalence rows with the verdict decided by the one verdict rule. */
export async function prevalence(db: Db, q: PrevalenceQuery) {
  const [rows, vt] = await Promise.all([fleetPrevalence(db, q), getVtSettings(db)]);
  return rows.map((r) => {
    const state = vtStateOf(r, vt.maliciousThreshold);
    const verdict: PrevalenceVerdict =
      state === null
        ? null
        : state.state === 'checked'
          ? state.verdict
          : state.state === 'not-hashed'
            ? null
            : state.state;
    return {
      sha256: r.sha256,
      md5: r.md5,
      sha1: r.sha1,
      hosts: Number(r.hosts),
      processes: Number(r.processes),
      names: r.names,
      paths: r.paths,
      lastSeenAt: new Date(r.lastSeenAt),
      vtScore: state?.state === 'checked' ? state.vtScore : null,
      verdict,
      /** The same VirusTotal state the run tables show (for the verdict badge). */
      vt: state,
      /** The analyst's decision, beside VirusTotal's (never instead of it). */
      triage:
        r.triageDecision === null
          ? null
          : {
              decision: r.triageDecision,
              note: r.triageNote ?? '',
              decidedBy: r.triageBy ?? '',
              decidedAt: new Date(r.triageAt ?? 0),
            },
    };
  });
}

export const hashUsage = hashHostsAndProcesses;

/** New vs known executables on each of the last `days` UTC days (today included), zeros where no run. */
export async function newVsKnownTimeline(db: Db, days: number, now = new Date()): Promise<NewKnownDay[]> {
  const to = utcDay(now);
  const from = utcDay(new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000));
  const until = new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000);
  const rows = await newVsKnownByDay(db, { since: new Date(`${from}T00:00:00Z`), until });
  return fillDays(rows, from, to);
}
