import { PROCESS_COLUMN_LAYOUT, VT_COLUMNS_SLOT, type ProcessColumn } from '@/domain/process';

/**
 * Finds the header row of a process sheet: the first row holding a process-name column and a hash
 * column. Headers match case-, space- and punctuation-insensitively ("Process Name", " process
 * name ", "PROCESS_NAME" are one header), so both ProcLens' own sheet and the older script's are read.
 */

/** Where each known column is: the process name always, the others when the sheet has them. */
export type HeaderMap = { name: number } & { [F in ImportField]?: number };

/**
 * The columns the import reads back: those of the export's table (domain/process.ts) that name a
 * field and say how to read it. Their headers (and aliases) in normalised form → the field.
 */
export const IMPORT_COLUMNS = PROCESS_COLUMN_LAYOUT.filter(
  (c): c is ProcessColumn & Required<Pick<ProcessColumn, 'field' | 'read'>> =>
    c !== VT_COLUMNS_SLOT && c.field !== undefined && c.read !== undefined,
);
export type ImportField = (typeof IMPORT_COLUMNS)[number]['field'];

/** Normalised header text (letters and digits only, and `%`) → the field it names. */
const ALIASES = new Map<string, ImportField>(
  IMPORT_COLUMNS.flatMap((c) => [c.header, ...(c.aliases ?? [])].map((h) => [normaliseHeader(h), c.field] as const)),
);

export function normaliseHeader(cell: string): string {
  return cell.toLowerCase().replace(/[^\p{L}\p{N}%]+/gu, '');
}

/** The header row among `rows` (cells as text) and where each known column is, or null. */
export function findHeader(rows: readonly (readonly string[])[]): { index: number; header: HeaderMap } | null {
  for (let index = 0; index < rows.length; index++) {
    const seen: Partial<HeaderMap> = {};
    let hash: number | undefined;
    (rows[index] ?? []).forEach((cell, col) => {
      const key = normaliseHeader(cell);
      const field = ALIASES.get(key);
      // "Hash" names the MD5 column only when no column says MD5 outright.
      if (key === 'hash') {
        hash ??= col;
        return;
      }
      if (field && seen[field] === undefined) seen[field] = col;
    });
    if (seen.md5 === undefined && hash !== undefined) seen.md5 = hash;
    if (seen.name !== undefined && (seen.md5 !== undefined || seen.sha256 !== undefined)) {
      return { index, header: seen as HeaderMap };
    }
  }
  return null;
}
