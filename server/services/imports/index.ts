import 'server-only';
import type { Db } from '@/db';
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

/** Reads an uploaded workbook and stores it as a run; throws ImportRejectedError with a sentence. */
export async function importWorkbook(
  db: Db,
  bytes: Buffer,
  opts: { hostname?: string | null } = {},
): Promise<ImportSummary> {
  return storeImportedWorkbook(db, readImportWorkbook(bytes), opts);
}
