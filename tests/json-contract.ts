/**
 * The fields of one process in the CLI's and the exports' JSON (`collect --json`, run.json), in
 * the order they are written: a public contract, stated once for the tests that hold it.
 */
export const PROCESS_JSON_KEYS = [
  'pid',
  'ppid',
  'name',
  'user',
  'memoryPercent',
  'exe',
  'exeStatus',
  'md5',
  'sha1',
  'sha256',
  'effectiveUser',
  'package',
  'integrity',
  'heuristics',
] as const;
