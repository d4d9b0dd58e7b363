import { TRPCError } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_EDGES, INTERNAL_ERROR_MESSAGE, ProcLensError, type ErrorCode } from '@/domain/errors';
import { VtNotConfiguredError } from '@/server/services/virustotal/queue';
import { guarded } from './http';
import { createCallerFactory, createContext, createTRPCRouter, publicProcedure, userMessage } from './trpc';

const CODES = Object.keys(ERROR_EDGES) as ErrorCode[];
const sentence = (code: ErrorCode) => `The ${code} sentence, for the person who asked.`;
/** What an unexpected throw may carry: SQL, a path, a value. None of it may reach the caller. */
const INTERNALS = 'Failed query: select secret from "agent_tokens" at /srv/proclens/db/queries.ts';

/** The project's own builders and formatter, with procedures that throw what a service would. */
const router = createTRPCRouter({
  fail: publicProcedure.input(z.object({ code: z.string() })).query(({ input }): string => {
    if (input.code === 'unexpected') throw new Error(INTERNALS);
    if (input.code === 'subclass') throw new VtNotConfiguredError();
    throw new ProcLensError(input.code as ErrorCode, sentence(input.code as ErrorCode));
  }),
});
const caller = createCallerFactory(router)(createContext({ headers: new Headers(), principal: { kind: 'anonymous' } }));

async function overHttp(code: string): Promise<{ status: number; message: string }> {
  const input = encodeURIComponent(JSON.stringify({ json: { code } }));
  const res = await fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(`http://127.0.0.1/api/trpc/fail?input=${input}`),
    router,
    createContext: () => createContext({ headers: new Headers(), principal: { kind: 'anonymous' } }),
  });
  const body = (await res.json()) as { error: { json: { message: string } } };
  return { status: res.status, message: body.error.json.message };
}

async function trpcRejection(code: string): Promise<TRPCError> {
  const e = await caller.fail({ code }).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TRPCError);
  return e as TRPCError;
}

describe('the tRPC edge: a ProcLensError becomes its code’s TRPCError with its sentence', () => {
  for (const code of CODES) {
    it(`${code} → ${ERROR_EDGES[code].trpc} (${ERROR_EDGES[code].http})`, async () => {
      const e = await trpcRejection(code);
      expect(e.code).toBe(ERROR_EDGES[code].trpc);
      expect(userMessage(e)).toBe(sentence(code));
      expect(await overHttp(code)).toEqual({ status: ERROR_EDGES[code].http, message: sentence(code) });
    });
  }

  it('a subclass thrown by a service maps by its code', async () => {
    const e = await trpcRejection('subclass');
    expect(e.code).toBe('PRECONDITION_FAILED');
    expect(userMessage(e)).toMatch(/No VirusTotal API key is set/);
  });

  it('an unexpected Error is a 500 with the generic sentence, never its text', async () => {
    const e = await trpcRejection('unexpected');
    expect(e.code).toBe('INTERNAL_SERVER_ERROR');
    expect(userMessage(e)).toBe(INTERNAL_ERROR_MESSAGE);
    const http = await overHttp('unexpected');
    expect(http).toEqual({ status: 500, message: INTERNAL_ERROR_MESSAGE });
  });
});

describe('the route-handler edge: a ProcLensError answers its status with its sentence', () => {
  const handler = guarded<{ code: string }>('public', async (_req, ctx) => {
    if (ctx.code === 'unexpected') throw new Error(INTERNALS);
    throw new ProcLensError(ctx.code as ErrorCode, sentence(ctx.code as ErrorCode));
  });
  const get = () => new Request('http://127.0.0.1/api/x');

  for (const code of CODES) {
    it(`${code} → ${ERROR_EDGES[code].http}`, async () => {
      const res = await handler(get(), { code });
      expect(res.status).toBe(ERROR_EDGES[code].http);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toEqual({ error: { message: sentence(code) } });
    });
  }

  it('an unexpected Error is not turned into an answer: Next logs it and sends a bare 500', async () => {
    await expect(handler(get(), { code: 'unexpected' })).rejects.toThrow(INTERNALS);
  });
});
