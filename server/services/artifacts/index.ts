export type { ExportHost, ExportProcess, ExportRun, RunExport } from './types';
export { buildCheckJson, type CheckJsonDocument, type CheckJsonHash, type CheckJsonProcess } from './check-json';
export { buildRunCsv } from './csv';
export { CONTENT_TYPES, contentDisposition, workbookFileName } from './file-names';
export { hashGroups, hasVtData, type HashGroup } from './hash-groups';
export { HASH_COLUMNS, HASHES_SHEET } from './hashes-sheet';
export { toLocalIsoString } from './local-time';
export { neutraliseCell, type CellValue } from './neutralise';
export { PROCESS_COLUMNS, type ProcessColumn } from './process-columns';
export {
  buildRunJson,
  buildRunJsonRun,
  type RunJsonDocument,
  type RunJsonHostFacts,
  type RunJsonProcess,
  type RunJsonRun,
} from './run-json';
export { buildVtResultsTxt, formatVtResultLine, sanitiseTxtName, VT_RESULTS_FILE_NAME } from './vt-results';
export { NOT_HASHED_LABEL, vtLabel, vtStatusOf } from './vt-status';
export { buildRunWorkbook, PROCESSES_SHEET, RUN_SHEET } from './workbook';
export { buildIocCsv, buildIocTxt, iocFileName, iocsFromRun, IOC_CSV_HEADER, type IocEntry } from './iocs';
export { buildDiffCsv, buildDiffTxt, DIFF_CSV_HEADER, diffFileName } from './diff';
