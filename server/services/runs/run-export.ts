import 'server-only';
import type { Db } from '@/db';
import { processFromRow } from '@/db/queries/process-rows';
import { getRun, getRunProcesses } from '@/db/queries/runs';
import { triageForRun } from '@/db/queries/triage';
import type { RunExport } from '../artifacts/types';
import { getVtSettings } from '../virustotal/settings';
import { unknownHost } from '@/domain/host';
import { vtStateOf } from '@/domain/vt-state';

/** Loads everything the exports need for one run, or null when there is no such run. */
export async function loadRunExport(db: Db, runId: number): Promise<RunExport | null> {
  const run = await getRun(db, runId);
  if (!run) return null;
  const [processes, vt, triage] = await Promise.all([
    getRunProcesses(db, runId),
    getVtSettings(db),
    triageForRun(db, runId),
  ]);
  const states = processes.map((p) => vtStateOf(p, vt.maliciousThreshold));
  // A run nobody checked exports without VirusTotal (no "Not hashed" in an otherwise empty column).
  const vtInvolved = states.some((v) => v !== null && v.state !== 'not-hashed');
  return {
    run: {
      id: run.id,
      source: run.source,
      status: run.status,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      error: run.error,
      minMemoryPercent: run.options.minMemoryPercent,
      totalProcesses: run.totalProcesses,
      processCount: run.processCount,
      distinctExecutables: run.distinctExecutables,
      durationMs: run.durationMs,
    },
    host: { ...unknownHost(run.hostname), ...run.hostFacts, hostname: run.hostname },
    processes: processes.map((p, i) => ({ ...processFromRow(p), vt: vtInvolved ? states[i] : null })),
    triage: Object.fromEntries(triage.map((t) => [t.sha256, t.decision])),
  };
}
