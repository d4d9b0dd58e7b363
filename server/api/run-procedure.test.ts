import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestSnapshot } from '@/server/services/runs';
import { rejection } from '@/tests/caller';
import { makeSnapshot } from '@/tests/fixtures';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { runScoped } from './run-procedure';
import { createCallerFactory, createContext, createTRPCRouter, publicProcedure } from './trpc';

/** The run-loading builder composes under another builder (the hosted roles), which runs first. */
describe('runScoped under another procedure builder', () => {
  let runId: number;
  const roleProcedure = publicProcedure.use(({ ctx, next }) => {
    if (ctx.headers.get('x-role') !== 'viewer') throw new TRPCError({ code: 'FORBIDDEN', message: 'Viewers only.' });
    return next({ ctx: { role: 'viewer' as const } });
  });
  const router = createTRPCRouter({
    summary: roleProcedure
      .concat(runScoped)
      .query(({ ctx }) => ({ role: ctx.role, runId: ctx.run.id, status: ctx.run.status })),
  });
  const call = (headers: HeadersInit) => createCallerFactory(router)(createContext({ headers: new Headers(headers) }));

  beforeAll(async () => {
    const handle = await openTestDb();
    runId = await ingestSnapshot(handle.db, makeSnapshot(), 'cli');
  });
  afterAll(closeTestDb);

  it('loads the run for an allowed caller', async () => {
    expect(await call({ 'x-role': 'viewer' }).summary({ runId })).toEqual({
      role: 'viewer',
      runId,
      status: 'completed',
    });
  });

  it('checks the role before the run: a refused caller learns nothing about which runs exist', async () => {
    expect(await rejection(call({}).summary({ runId }), 'FORBIDDEN')).toBe('Viewers only.');
    expect(await rejection(call({}).summary({ runId: 999_999 }), 'FORBIDDEN')).toBe('Viewers only.');
    expect(await rejection(call({ 'x-role': 'viewer' }).summary({ runId: 999_999 }), 'NOT_FOUND')).toBe(
      'Run 999999 does not exist.',
    );
  });
});
