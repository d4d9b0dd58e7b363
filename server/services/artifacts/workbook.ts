import * as XLSX from 'xlsx';
import { hasVtData } from './hash-groups';
import { HASH_COLUMNS, HASHES_SHEET, hashesTable } from './hashes-sheet';
import { toLocalIsoString } from './local-time';

import { PROCESS_COLUMNS, processTable } from './process-columns';
import type { RunExport } from './types';
import { autofilter, freezeTopRow, sheetFromRows, type XlsxDate, type XlsxValue } from './xlsx-sheet';

export const PROCESSES_SHEET = 'Processes';
export const RUN_SHEET = 'Run';

const GIB = 1024 ** 3;

function formatGiB(bytes: number): string | null {
  return Number.isFinite(bytes) ? `${(bytes / GIB).toFixed(2)} GiB` : null;
}

function dateCell(at: Date | null, zone: XlsxDate['zone']): XlsxDate | null {
  return at === null ? null : { kind: 'date', at, zone };
}

/** The server's UTC offset at `at`, e.g. `+05:30`: a date cell has no zone, so the sheet says it. */
function utcOffsetOf(at: Date): string {
  return toLocalIsoString(at).slice(19);
}

/** The "Run" sheet: one fact per row, label then value; host first, then the run. */
export function runSheetRows(data: RunExport): Array<[string, XlsxValue]> {
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
    ['Started (UTC)', dateCell(run.startedAt, 'utc')],
    ['Started (local)', dateCell(run.startedAt, 'local')],
    ['Finished (UTC)', dateCell(run.finishedAt, 'utc')],
    ['Finished (local)', dateCell(run.finishedAt, 'local')],
    ['Local time zone (UTC offset)', utcOffsetOf(run.startedAt)],
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
