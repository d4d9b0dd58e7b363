export type { ExportHost, ExportProcess, ExportRun, RunExport } from './types';
export { buildRunCsv } from './csv';
export { CONTENT_TYPES, contentDisposition, workbookFileName } from './file-names';
export { toLocalIsoString } from './local-time';
export { neutraliseCell, type CellValue } from './neutralise';
export { PROCESS_COLUMNS, type ProcessColumn } from './process-columns';
export {
  buildRunJson,
  type RunJsonDocument,
  type RunJsonHostFacts,
  type RunJsonProcess,
  type RunJsonRun,
} from './run-json';
export { buildRunWorkbook, PROCESSES_SHEET, RUN_SHEET } from './workbook';
