import { localDateTimeParts } from './local-time';
import { replaceLoneSurrogates } from './neutralise';

const WORKBOOK_PREFIX = 'All_process_hash_real_time_';

/**
 * Public contract: `All_process_hash_real_time_<YYYY-MM-DD_HH-MM-SS>.xlsx`, in the local time of this
 * process, because users file these by the wall-clock time they started the run.
 */
export function workbookFileName(startedAt: Date): string {
  const p = localDateTimeParts(startedAt);
  return `${WORKBOOK_PREFIX}${p.year}-${p.month}-${p.day}_${p.hour}-${p.minute}-${p.second}.xlsx`;
}

const FALLBACK_NAME = 'download';

/**
 * Characters removed outright: controls (header injection via CR/LF), the quoted-string delimiters
 * `"` and `\`.
 */
const UNSAFE_CHARS = /[\u0000-\u001F\u007F-\u009F"\\]/g;

/** RFC 5987 attr-char is narrower than what encodeURIComponent leaves alone. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="…"; filename*=UTF-8''…` for a download. The plain `filename` is an ASCII
 * fallback (non-ASCII and `%` become `_`, since some clients percent-decode it); `filename*` carries
 * the exact name for clients that understand RFC 6266.
 */
export function contentDisposition(fileName: string): string {
  const safe = replaceLoneSurrogates(fileName).replace(UNSAFE_CHARS, '').trim() || FALLBACK_NAME;
  const ascii = safe.replace(/[^\x20-\x7E]/gu, '_').replace(/%/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(safe)}`;
}

/** Content-Type of each download, next to the names they travel with. */
export const CONTENT_TYPES = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
} as const;
