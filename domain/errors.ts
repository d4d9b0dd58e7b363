/**
 * The one error base. Services (and the db queries, the CLI, the import reader…) throw a
 * ProcLensError carrying a code; each edge maps the code once — tRPC (server/api/trpc.ts), route
 * handlers (server/api/http.ts) and the CLI (server/cli) — to its status, and shows the message,
 * which is written for the person who acted (one sentence, no internals, never a secret).
 * Layer-neutral: imports nothing.
 */
export type ErrorCode =
  | 'bad-input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'precondition'
  | 'too-large'
  | 'rate-limited'
  | 'unavailable';

/** How each edge answers a code: HTTP status, tRPC code, CLI exit code. One row per code. */
export const ERROR_EDGES: Record<
  ErrorCode,
  {
    http: number;
    trpc:
      | 'BAD_REQUEST'
      | 'UNAUTHORIZED'
      | 'FORBIDDEN'
      | 'NOT_FOUND'
      | 'CONFLICT'
      | 'PRECONDITION_FAILED'
      | 'PAYLOAD_TOO_LARGE'
      | 'TOO_MANY_REQUESTS'
      | 'SERVICE_UNAVAILABLE';
    exit: number;
  }
> = {
  'bad-input': { http: 400, trpc: 'BAD_REQUEST', exit: 2 },
  unauthenticated: { http: 401, trpc: 'UNAUTHORIZED', exit: 1 },
  forbidden: { http: 403, trpc: 'FORBIDDEN', exit: 1 },
  'not-found': { http: 404, trpc: 'NOT_FOUND', exit: 1 },
  conflict: { http: 409, trpc: 'CONFLICT', exit: 1 },
  precondition: { http: 412, trpc: 'PRECONDITION_FAILED', exit: 1 },
  'too-large': { http: 413, trpc: 'PAYLOAD_TOO_LARGE', exit: 1 },
  'rate-limited': { http: 429, trpc: 'TOO_MANY_REQUESTS', exit: 1 },
  unavailable: { http: 503, trpc: 'SERVICE_UNAVAILABLE', exit: 1 },
};

/** What a caller is told about a failure we did not foresee: its own text may hold paths or SQL. */
export const INTERNAL_ERROR_MESSAGE = 'Something went wrong on the server. The server log has the details.';

/** The session (or token) lookup itself failed: every edge says this, with the details in the log. */
export const SIGN_IN_UNAVAILABLE_MESSAGE = 'Sign-in is unavailable right now. See the server log.';

export class ProcLensError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isProcLensError(e: unknown): e is ProcLensError {
  return e instanceof ProcLensError;
}
