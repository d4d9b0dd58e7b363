/** A failure the CLI reports as one line (exit 1); anything else is a bug and prints its message too. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
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
