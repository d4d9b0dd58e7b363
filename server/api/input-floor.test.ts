import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userMessage } from '@/server/api/trpc';
import type { Principal } from '@/server/auth/principal';
import { resetEnvForTests } from '@/lib/env';
import { procedureCaller, routerProcedures as procedures } from '@/tests/caller';
import { tempDataDir } from '@/tests/helpers';

async function refusal(call: Promise<unknown>): Promise<string> {
  const e = await call.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  expect((e as TRPCError).code).toBe('BAD_REQUEST');
  return userMessage(e as TRPCError);
}

/**
 * Every procedure, read from the router (a new one is covered without editing this file), refuses
 * a NUL, a number PostgreSQL cannot hold and an endless text anywhere in its input — before its
 * own schema or the database sees it, with a sentence naming where.
 */
describe('the input floor of every procedure', () => {
  // Nothing here should reach a database; if a procedure did, it would find an empty throwaway one.
  beforeAll(() => {
    process.env.DATA_DIR = tempDataDir();
    process.env.VT_WORKER = 'off';
    resetEnvForTests();
  });
  afterAll(() => {
    delete process.env.DATA_DIR;
    delete process.env.VT_WORKER;
    resetEnvForTests();
  });

  it('covers the whole router', () => expect(procedures.length).toBeGreaterThan(20));

  for (const [name, p] of procedures) {
    it(name, async () => {
      const who: Principal =
        p._def.meta?.access === 'agent' ? { kind: 'agent', tokenId: 1, name: 't' } : { kind: 'local' };
      const call = (input: unknown) => procedureCaller(who, name)(input);
      expect(await refusal(call({ runId: 1, note: 'a\u0000b' }))).toBe('input.note must not contain a NUL character.');
      expect(await refusal(call({ runId: 1, limit: 1e308 }))).toMatch(/^input\.limit must be a finite number/);
      expect(await refusal(call({ runId: 1, host: 'x'.repeat(10_000) }))).toMatch(
        /^input\.host must be at most 8192 characters/,
      );
    });
  }
});
