import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import { appRouter, createCaller } from '@/server/api/root';
import { createContext, userMessage, type Meta } from '@/server/api/trpc';
import { ensureLocalSecret } from '@/server/auth/local-access';
import type { Principal } from '@/server/auth/principal';
import { getEnv } from '@/lib/env';

/**
 * A server-side caller of the whole router, as a request with `headers` would get it: procedures are
 * tested where they are defined, without a browser or HTTP. Hosted-mode tests pass a session's
 * headers here to test authorisation beside the happy paths and errors. Without headers it is the
 * local person: the access token of the test's DATA_DIR as a bearer token, as a script sends it.
 */
export function callerFor(headers?: HeadersInit) {
  return createCaller(createContext({ headers: new Headers(headers ?? localPersonHeaders()) }));
}

/** The headers of the one local person: `Authorization: Bearer <the DATA_DIR's access token>`. */
export function localPersonHeaders(): Record<string, string> {
  return { authorization: `Bearer ${ensureLocalSecret(getEnv().dataDir)}` };
}

/** Runs `call`, expects a tRPC error with `code`, and returns the message the caller would be shown. */
export async function rejection(call: Promise<unknown>, code: TRPCError['code']): Promise<string> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}, but the call succeeded`).toBeInstanceOf(TRPCError);
  const e = error as TRPCError;
  expect(e.code).toBe(code);
  return userMessage(e);
}

type ProcedureMap = Record<string, { _def: { meta?: Meta } }>;

/** Every procedure of the router by its dotted name, with the access it declares: matrices read it, so a new one is covered. */
export const routerProcedures = Object.entries((appRouter._def as unknown as { procedures: ProcedureMap }).procedures);

/** One procedure (`runs.list`) of a caller for `who`, callable with any input. */
export function procedureCaller(who: Principal, dotted: string): (input?: unknown) => Promise<unknown> {
  let node: unknown = createCaller(createContext({ headers: new Headers(), principal: who }));
  for (const part of dotted.split('.')) node = (node as Record<string, unknown>)[part];
  return node as (input?: unknown) => Promise<unknown>;
}
