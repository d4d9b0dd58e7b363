import type { ExportRun, RunExport } from '../artifacts/types';
import type { CollectResult } from '../processes/types';

// Apart from run-export.ts so that `collect --no-store` loads no database code.
/** The same export built straight from a collection, for the CLI (no database round trip). */
export function exportFromCollect(
  result: CollectResult,
  runId: number | null,
  source: ExportRun['source'],
  minMemoryPercent: number,
): RunExport {
  const { hostKey: _key, ...host } = result.host;
  return {
    run: {
      id: runId,
      source,
      status: 'completed',
      startedAt: result.startedAt,
      finishedAt: new Date(result.startedAt.getTime() + result.stats.durationMs),
      error: null,
      minMemoryPercent,
      totalProcesses: result.stats.totalProcesses,
      processCount: result.stats.processCount,
      distinctExecutables: result.stats.distinctExecutables,
      durationMs: Math.round(result.stats.durationMs),
    },
    host,
    processes: result.processes.map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      user: p.user,
      memoryPercent: p.memoryPercent,
      cpuPercent: p.cpuPercent,
      exe: p.exe,
      exeStatus: p.exeStatus,
      exeError: p.exeError,
      md5: p.hashes?.md5 ?? null,
      sha1: p.hashes?.sha1 ?? null,
      sha256: p.hashes?.sha256 ?? null,
      effectiveUser: p.effectiveUser,
      package: p.package,
      integrity: p.integrity,
      heuristics: p.heuristics,
    })),
  };
}
