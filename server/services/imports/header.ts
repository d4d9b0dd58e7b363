/**
 * Finds the header row of a process sheet: the first row holding a process-name column and a hash
 * column. Headers match case-, space- and punctuation-insensitively ("Process Name", " process
 * name ", "PROCESS_NAME" are one header), so both ProcLens' own sheet and the older script's are read.
 */
export interface HeaderMap {
  name: number;
  md5?: number;
  sha1?: number;
  sha256?: number;
  pid?: number;
  ppid?: number;
  user?: number;
  memoryPercent?: number;
  cpuPercent?: number;
  exe?: number;
  exeStatus?: number;
  exeError?: number;
  effectiveUser?: number;
  package?: number;
  integrity?: number;
}

type Field = Exclude<keyof HeaderMap, never>;

/** Normalised header text (letters and digits only, and `%`) → the field it names. */
const ALIASES: Record<string, Field> = {
  process: 'name',
  processname: 'name',
  name: 'name',
  imagename: 'name',
  md5: 'md5',
  md5hash: 'md5',
  hash: 'md5',
  sha1: 'sha1',
  sha256: 'sha256',
  pid: 'pid',
  processid: 'pid',
  ppid: 'ppid',
  user: 'user',
  username: 'user',
  'memory%': 'memoryPercent',
  'cpu%': 'cpuPercent',
  executable: 'exe',
  executablepath: 'exe',
  exepath: 'exe',
  path: 'exe',
  exestatus: 'exeStatus',
  exeerror: 'exeError',
  effectiveuser: 'effectiveUser',
  package: 'package',
  integrity: 'integrity',
};

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
      const field = ALIASES[key];
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
