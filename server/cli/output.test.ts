import { describe, expect, it } from 'vitest';
import { ERROR_EDGES, ProcLensError, type ErrorCode } from '@/domain/errors';
import { EnvError } from '@/lib/env';
import { TokenNameInvalidError, TokenNameTakenError, TokenOwnerInvalidError } from '@/server/auth/agent-tokens';
import { UserInputError } from '@/server/auth/users';
import { CliError, failureOf, NOT_YET_PROCLENS_ERRORS } from './output';

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

  it('maps by name only classes that are not ProcLensErrors yet (remove each once it is one)', () => {
    const classes: Record<string, unknown> = {
      EnvError,
      UserInputError,
      TokenNameTakenError,
      TokenNameInvalidError,
      TokenOwnerInvalidError,
    };
    for (const name of Object.keys(NOT_YET_PROCLENS_ERRORS)) {
      const cls = classes[name] as { prototype: object } | undefined;
      expect(cls, `${name}: import it here`).toBeDefined();
      expect(
        cls!.prototype instanceof ProcLensError,
        `${name} is a ProcLensError now: remove it from NOT_YET_PROCLENS_ERRORS (server/cli/output.ts)`,
      ).toBe(false);
    }
  });
});
