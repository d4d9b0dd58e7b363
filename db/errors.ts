/**
 * PostgreSQL "data exception" errors (SQLSTATE class 22) that a value in a request can cause. Input
 * is validated before it reaches the database (domain/limits.ts); this is the last resort at each
 * edge, so a value that still slips through gets a 400 with a sentence instead of a 500.
 */
const DATA_ERRORS: Record<string, string> = {
  '22P05': 'holds a character the database cannot store (such as NUL)',
  '22021': 'holds a byte sequence that is not valid text',
  '22003': 'holds a number out of the range the database can store',
  '22P02': 'holds a value the database cannot read as its type',
  '22008': 'holds a date or time out of the range the database can store',
  '22009': 'holds a date or time out of the range the database can store',
  '22007': 'holds a date or time the database cannot read',
  '22001': 'holds a text longer than the database column takes',
};

export interface InputDataError {
  /** The SQLSTATE, for the log. */
  code: string;
  /** One sentence for the caller, naming no SQL and no value. */
  message: string;
}

/** The data exception behind `e` (drizzle wraps the driver's error in `cause`), or null. */
export function inputDataError(e: unknown): InputDataError | null {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur && typeof cur === 'object'; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && code in DATA_ERRORS) {
      return { code, message: `The request ${DATA_ERRORS[code]}.` };
    }
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}
