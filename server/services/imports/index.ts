import 'server-only';
import type { Db } from '@/db';
import { hasNul, NUL_MESSAGE, TEXT_MAX, tooLongMessage } from '@/domain/limits';
import { ImportRejectedError } from './import-error';
import { readImportWorkbook } from './read-workbook';
import { storeImportedWorkbook, type ImportSummary } from './store-import';

export {
  IMPORT_MAX_BYTES,
  IMPORT_MAX_ROWS,
  ImportRejectedError,
  readImportWorkbook,
  type ImportedWorkbook,
} from './read-workbook';
export { UNKNOWN_IMPORT_HOST, type ImportSummary } from './store-import';

/** The `hostname` an upload names for a workbook that names none: bounded like an agent's. */
function checkHostname(hostname: string | null | undefined): void {
  if (hostname == null) return;
  if (hostname.length > TEXT_MAX.hostname) {
    throw new ImportRejectedError(`${tooLongMessage('The host name', TEXT_MAX.hostname)}. Nothing was imported.`);
  }
  if (hasNul(hostname)) throw new ImportRejectedError(`The host name ${NUL_MESSAGE}. Nothing was imported.`);
}

/** Reads an uploaded workbook and stores it as a run; throws ImportRejectedError with a sentence. */
export async function importWorkbook(
  db: Db,
  bytes: Buffer,
  opts: { hostname?: string | null } = {},
): Promise<ImportSummary> {
  checkHostname(opts.hostname);
  return storeImportedWorkbook(db, readImportWorkbook(bytes), opts);
}
