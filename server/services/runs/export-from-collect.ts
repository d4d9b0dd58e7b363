import { toProcessView } from '@/domain/process';
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
    processes: result.processes.map(toProcessView),
  };
}
