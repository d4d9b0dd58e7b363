import * as XLSX from 'xlsx';
import { hasVtData } from './hash-groups';
import { HASH_COLUMNS, HASHES_SHEET, hashesTable } from './hashes-sheet';
import { toLocalIsoString } from './local-time';
import type { CellValue } from './neutralise';
import { PROCESS_COLUMNS, processTable } from './process-columns';
import type { RunExport } from './types';
import { autofilter, freezeTopRow, sheetFromRows } from './xlsx-sheet';

export const PROCESSES_SHEET = 'Processes';
export const RUN_SHEET = 'Run';

const GIB = 1024 ** 3;

function formatGiB(bytes: number): string | null {
  return Number.isFinite(bytes) ? `${(bytes / GIB).toFixed(2)} GiB` : null;
}

function isoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}

function localIsoOrNull(date: Date | null): string | null {
  return date === null ? null : toLocalIsoString(date);
}

/** The "Run" sheet: one fact per row, label then value; host first, then the run. */
export function runSheetRows(data: RunExport): Array<[string, CellValue]> {
  const { host, run } = data;
  return [
    ['Field', 'Value'],
    ['Hostname', host.hostname],
    ['Platform', host.platform],
    ['Distro', host.distro],
    ['Release', host.release],
    ['Kernel', host.kernel],
    ['Arch', host.arch],
    ['Total memory (bytes)', host.totalMemoryBytes],
    ['Total memory', formatGiB(host.totalMemoryBytes)],
    ['CPU model', host.cpuModel],
    ['CPU cores', host.cpuCores],
    ['Run ID', run.id],
    ['Source', run.source],
    ['Status', run.status],
    ['Started (UTC)', isoOrNull(run.startedAt)],
    ['Started (local)', localIsoOrNull(run.startedAt)],
    ['Finished (UTC)', isoOrNull(run.finishedAt)],
    ['Finished (local)', localIsoOrNull(run.finishedAt)],
    ['Duration ms', run.durationMs],
    ['Minimum memory %', run.minMemoryPercent],
    ['Processes kept', run.processCount],
    ['Processes seen', run.totalProcesses],
    ['Distinct executables', run.distinctExecutables],
    ['Error', run.error],
  ];
}

/**
 * The run as an .xlsx: "Processes" (one row per process, header frozen and filterable), "Run" (host
 * and run facts) and, when any process carries VirusTotal data, "Hashes" (one row per distinct
 * SHA-256, most detected first, header frozen and filterable). Same input, same bytes: nothing here
 * reads the clock.
 */
export function buildRunWorkbook(data: RunExport): Buffer {
  const workbook = XLSX.utils.book_new();

  const rows = processTable(data.processes);
  const processes = sheetFromRows(rows, PROCESS_COLUMNS);
  processes['!autofilter'] = autofilter(rows.length, PROCESS_COLUMNS.length);
  XLSX.utils.book_append_sheet(workbook, processes, PROCESSES_SHEET);

  const run = sheetFromRows(runSheetRows(data), [{ width: 22 }, { width: 48 }]);
  XLSX.utils.book_append_sheet(workbook, run, RUN_SHEET);

  const frozen = [workbook.SheetNames.indexOf(PROCESSES_SHEET)];
  if (hasVtData(data)) {
    const hashRows = hashesTable(data.processes);
    const hashes = sheetFromRows(hashRows, HASH_COLUMNS);
    hashes['!autofilter'] = autofilter(hashRows.length, HASH_COLUMNS.length);
    XLSX.utils.book_append_sheet(workbook, hashes, HASHES_SHEET);
    frozen.push(workbook.SheetNames.indexOf(HASHES_SHEET));
  }

  const title = data.run.id === null ? 'ProcLens run (not stored)' : `ProcLens run ${data.run.id}`;
  workbook.Props = { Title: title, CreatedDate: data.run.startedAt };

  const bytes: unknown = XLSX.write(workbook, {
    type: 'buffer',
    bookType: 'xlsx',
    bookSST: true,
    compression: true,
  });
  if (!Buffer.isBuffer(bytes)) throw new Error('SheetJS did not return a Buffer');
  return freezeTopRow(bytes, frozen);
}
