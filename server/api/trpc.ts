import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import { transformer } from '@/domain/transformer';
import { z } from 'zod';
import { getDb, type Db } from '@/db';
import { inputDataError } from '@/db/errors';
import {
  ERROR_EDGES,
  INTERNAL_ERROR_MESSAGE,
  isProcLensError,
  ProcLensError,
  SIGN_IN_UNAVAILABLE_MESSAGE,
} from '@/domain/errors';
import { jsonValueProblem } from '@/domain/limits';
import { decide, deniedMessage, resolvePrincipal, type Access, type Principal } from '@/server/auth/principal';
import { logger } from '@/lib/logger';

export interface Context {
  headers: Headers;
  /** Who is asking, resolved on first use for what the procedure needs (tests may fix it). */
  principal: (need: Access) => Promise<Principal>;
  /** The database, opened on first use so a procedure that needs none never waits for it. */
  db: () => Promise<Db>;
}

export function createContext(opts: { headers: Headers; principal?: Principal }): Context {
  const fixed = opts.principal;
  // A batched request runs several procedures: look the session up once per kind of need.
  const cache = new Map<'person' | 'agent', Promise<Principal>>();
  return {
    headers: opts.headers,
    principal: (need) => {
      if (fixed) return Promise.resolve(fixed);
      const key = need === 'agent' ? 'agent' : 'person';
      let p = cache.get(key);
      if (!p) {
        p = resolvePrincipal(opts.headers, need === 'agent' ? 'agent' : 'viewer');
        cache.set(key, p);
      }
      return p;
    },
    db: async () => {
      try {
        return await getDb();
      } catch (e) {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'database unavailable');
        // Our own errors (the database URL refused, the data directory held) say why; others might leak.
        if (isProcLensError(e)) throw e;
        throw new ProcLensError('unavailable', 'The database is unavailable. See the server log.');
      }
    },
  };
}

/** What a caller is told about an error: input errors as one readable sentence, internals never. */
export function userMessage(error: TRPCError): string {
  const zodError = error.cause instanceof z.ZodError ? error.cause : null;
  if (zodError) return zodError.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  // An unexpected throw: its text may hold paths or SQL. Our own errors carry another code.
  if (error.code === 'INTERNAL_SERVER_ERROR' && error.cause !== undefined) return INTERNAL_ERROR_MESSAGE;
  return error.message;
}

/** The tRPC edge of the one error mapping: a ProcLensError becomes its code's TRPCError, same sentence. */
export function trpcErrorOf(e: ProcLensError): TRPCError {
  return new TRPCError({ code: ERROR_EDGES[e.code].trpc, message: e.message, cause: e });
}

/** Every procedure states what it needs; the role matrix test reads it from here. */
export interface Meta {
  access: Access;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer,
    errorFormatter({ shape, error }) {
      const { stack: _stack, ...data } = shape.data;
      return { ...shape, message: userMessage(error), data };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * The floor under every procedure's own input schema, so a procedure added later cannot forget it:
 * no NUL in any text or key, no text beyond the longest field, no number that is not finite or
 * beyond ±2^53 (PostgreSQL refuses the first and overflows on the last — a 500 otherwise). And the
 * last resort behind all validation: a PostgreSQL data exception answers 400 with a sentence.
 */
const inputFloor = t.middleware(async ({ getRawInput, next, path }) => {
  const problem = jsonValueProblem(await getRawInput());
  if (problem) throw new ProcLensError('bad-input', `${problem}.`);
  const result = await next();
  if (!result.ok) {
    const data = inputDataError(result.error);
    if (data) {
      // The driver's message quotes the statement's parameters (the caller's values): not logged.
      logger.warn({ path, sqlstate: data.code }, 'input refused by the database');
      throw new ProcLensError('bad-input', data.message);
    }
  }
  return result;
});

/**
 * Outermost under every builder, so the role check, the run loaders and the handler all throw
 * ProcLensErrors and none maps them: the server caller (pages, tests) and HTTP get the same code.
 */
const errorEdge = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isProcLensError(result.error.cause)) throw trpcErrorOf(result.error.cause);
  return result;
});

/**
 * The one gate for procedures: no principal → 401, a principal without the role → 403. In local
 * mode the holder of the access token passes every person check (no sign-in, no roles).
 * Procedures pick a builder; handlers never check roles themselves. Every builder then applies the
 * input floor.
 */
function gated(access: Access) {
  const withRole = t.procedure
    .meta({ access })
    .use(errorEdge)
    .use(async ({ ctx, next }) => {
      let principal: Principal;
      try {
        principal = await ctx.principal(access);
      } catch (e) {
        logger.error({ err: e instanceof Error ? e.message : String(e) }, 'could not resolve the session');
        throw new ProcLensError('unavailable', SIGN_IN_UNAVAILABLE_MESSAGE);
      }
      const d = decide(principal, access);
      if (d !== 'ok') throw new ProcLensError(d, deniedMessage(d));
      return next({ ctx: { ...ctx, who: principal } });
    });
  return withRole.use(inputFloor);
}

/**
 * Ungated pieces (input + middleware) that are only ever concatenated under a role builder, such
 * as the run loader in run-procedure.ts. A procedure built from this alone has no `access` and
 * fails the role matrix test.
 */
export const procedureFragment = t.procedure;

export const publicProcedure = gated('public');
export const viewerProcedure = gated('viewer');
export const analystProcedure = gated('analyst');
export const adminProcedure = gated('admin');
export const agentProcedure = gated('agent');
