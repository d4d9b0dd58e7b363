import 'server-only';
import type { Db } from '@/db';
import { completeRun, executablesByMd5, insertRun, upsertHost, type ExecutableInput } from '@/db/queries/runs';
import { processRow, type ProcessRowInput } from '@/db/queries/process-rows';
import { unknownHost } from '@/domain/host';
import type { ImportedWorkbook } from './read-workbook';

/** The host an import is filed under when its workbook names none (the older script's sheet). */
export const UNKNOWN_IMPORT_HOST = 'unknown host';

export interface ImportSummary {
  runId: number;
  hostname: string;
  shape: ImportedWorkbook['shape'];
  processes: number;
  /** Distinct executables by SHA-256 (including MD5s an executable already stored resolved). */
  executables: number;
  /** Distinct MD5s still to be resolved by a lookup. */
  md5Only: number;
  /** Processes without any hash (nothing to look up). */
  notHashed: number;
}

/**
 * Stores an imported workbook as one completed run (source "import") in one transaction: host, run,
 * executables, processes and fleet counts — all or nothing. Imported hosts are keyed apart from
 * collected ones (`import:<hostname>`), so an old workbook never stands in for a live host's latest
 * snapshot. MD5s an executable already stored carries take its SHA-256 now (no request later).
 */
export async function storeImportedWorkbook(
  db: Db,
  wb: ImportedWorkbook,
  opts: { hostname?: string | null; now?: Date } = {},
): Promise<ImportSummary> {
  const now = opts.now ?? new Date();
  const host = wb.host ?? unknownHost(opts.hostname?.trim() || UNKNOWN_IMPORT_HOST);
  return db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const md5Only = [...new Set(wb.processes.flatMap((p) => (p.hashes && !p.hashes.sha256 ? [p.hashes.md5] : [])))];
    const known = await executablesByMd5(tx, md5Only);
    const exes = new Map<string, ExecutableInput>();
    const rows: ProcessRowInput[] = wb.processes.map(({ row: _row, hashes, ...facts }) => {
      let sha256: string | null = null;
      let unresolvedMd5: string | null = null;
      if (hashes?.sha256) {
        sha256 = hashes.sha256;
        if (!exes.has(sha256)) exes.set(sha256, { ...hashes, size: null });
      } else if (hashes) {
        sha256 = known.get(hashes.md5) ?? null;
        if (sha256 === null) unresolvedMd5 = hashes.md5;
      }
      return processRow(facts, sha256, unresolvedMd5);
    });
    const hostId = await upsertHost(tx, {
      hostKey: `import:${host.hostname}`,
      hostname: host.hostname,
      platform: host.platform,
    });
    const startedAt = wb.startedAt ?? now;
    const runId = await insertRun(tx, {
      hostId,
      source: 'import',
      startedAt,
      options: { minMemoryPercent: wb.minMemoryPercent },
      hostFacts: host,
    });
    const ids = new Set<string>();
    for (const r of rows) {
      const id = r.sha256 ?? r.unresolvedMd5;
      if (id) ids.add(id);
    }
    await completeRun(tx, runId, [...exes.values()], rows, {
      totalProcesses: rows.length,
      processCount: rows.length,
      distinctExecutables: ids.size,
      hashedFiles: 0,
      cacheHits: 0,
      bytesRead: 0,
      durationMs: 0,
      finishedAt: now,
    });
    const md5Left = new Set(rows.flatMap((r) => (r.unresolvedMd5 ? [r.unresolvedMd5] : [])));
    return {
      runId,
      hostname: host.hostname,
      shape: wb.shape,
      processes: rows.length,
      executables: ids.size - md5Left.size,
      md5Only: md5Left.size,
      notHashed: rows.filter((r) => r.sha256 === null && r.unresolvedMd5 === null).length,
    };
  });
}
