import { ERROR_EDGES, ProcLensError, type ErrorCode } from '@/domain/errors';

/**
 * A failure the CLI itself reports: a ProcLensError like the services' own, so one mapping turns
 * either into its line and exit code. `exitCode` is for the two outcomes a script may test for that
 * no code names: 3 when the agent's token is refused, 130 when the password prompt is cancelled.
 */
export class CliError extends ProcLensError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly exitCode?: number,
  ) {
    super(code, message);
  }
}

/**
 * The CLI's one error mapping: a ProcLensError is one line `proclens: <message>` and the exit code
 * of its code (2 for bad arguments or configuration); anything else is a bug that still prints its
 * message, with exit 1.
 */
export function failureOf(e: unknown): { line: string; exitCode: number } {
  const message = e instanceof Error ? e.message : String(e);
  const line = `proclens: ${message}\n`;
  if (e instanceof CliError && e.exitCode !== undefined) return { line, exitCode: e.exitCode };
  return { line, exitCode: e instanceof ProcLensError ? ERROR_EDGES[e.code].exit : 1 };
}

/** stdout carries only the result (JSON with --json); progress and messages go to stderr. */
export interface Reporter {
  stdout(text: string): void;
  progress(text: string): void;
}

export const consoleReporter: Reporter = {
  stdout: (text) => process.stdout.write(`${text}\n`),
  progress: (text) => process.stderr.write(`proclens: ${text}\n`),
};
