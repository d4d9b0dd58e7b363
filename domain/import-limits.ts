/**
 * What a workbook import takes (`POST /api/imports`, `proclens check --workbook`), stated once for
 * the server, the CLI and the page that offers the upload (no zod here: the page imports it).
 */
export const IMPORT_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;
/** What the multipart framing around the file may add to the request body. */
export const IMPORT_FORM_OVERHEAD_BYTES = 64 * 1024;
/** Process rows in one sheet: what SheetJS reads within the import's memory budget. */
export const IMPORT_MAX_ROWS = 50_000;

/** The sentence for a file over the upload limit, in the browser and on the server alike. */
export const IMPORT_TOO_LARGE_MESSAGE = `The file is larger than ${IMPORT_UPLOAD_MAX_BYTES / 2 ** 20} MB; it is not imported.`;
