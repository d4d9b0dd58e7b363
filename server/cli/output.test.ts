import { describe, expect, it } from 'vitest';
import { ERROR_EDGES, ProcLensError, type ErrorCode } from '@/domain/errors';
import { EnvError } from '@/lib/env';
import { TokenNameInvalidError, TokenOwnerInvalidError } from '@/server/auth/agent-tokens';
import { UserInputError } from '@/server/auth/users';
import { CliError, failureOf } from './output';

describe("the CLI's one error mapping", () => {
  it('gives every error code its exit code and one line', () => {
    for (const code of Object.keys(ERROR_EDGES) as ErrorCode[]) {
      expect(failureOf(new ProcLensError(code, `${code} happened.`))).toEqual({
        line: `proclens: ${code} happened.\n`,
        exitCode: ERROR_EDGES[code].exit,
      });
      expect(failureOf(new CliError(code, 'x')).exitCode).toBe(ERROR_EDGES[code].exit);
    }
    // Bad arguments or configuration: 2, as the README promises.
    expect(failureOf(new CliError('bad-input', 'x')).exitCode).toBe(2);
  });

  it('keeps the two exit codes no error code names: 3 for a refused agent token, 130 for a cancelled prompt', () => {
    expect(failureOf(new CliError('unauthenticated', 'token invalid or revoked', 3)).exitCode).toBe(3);
    expect(failureOf(new CliError('bad-input', 'Cancelled.', 130)).exitCode).toBe(130);
  });

  it('still prints an unexpected error, with exit 1', () => {
    expect(failureOf(new TypeError('boom'))).toEqual({ line: 'proclens: boom\n', exitCode: 1 });
    expect(failureOf('plain')).toEqual({ line: 'proclens: plain\n', exitCode: 1 });
    const named = new Error('x');
    named.name = 'constructor';
    expect(failureOf(named).exitCode).toBe(1);
  });

  it('exits 2 for bad configuration and bad input from the services, as before', () => {
    expect(failureOf(new EnvError(['PORT: Expected number'])).exitCode).toBe(2);
    expect(failureOf(new UserInputError('A user with the email a@b.c already exists.')).exitCode).toBe(2);
    expect(failureOf(new TokenOwnerInvalidError('x is not an admin.')).exitCode).toBe(2);
    expect(failureOf(new TokenNameInvalidError()).exitCode).toBe(2);
  });
});
