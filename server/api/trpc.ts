import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import { transformer } from '@/domain/transformer';
import { z } from 'zod';
import { DatabaseUnavailableError, getDb, type Db } from '@/db';
import { inputDataError } from '@/db/errors';
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
        throw new TRPCError({
          code: 'INTERNAL_SERVER_ERROR',
          message:
            e instanceof DatabaseUnavailableError ? e.message : 'The database is unavailable. See the server log.',
        });
      }
    },
  };
}

/** What a caller is told about an error: input errors as one readable sentence, internals never. */
export function userMessage(error: TRPCError): string {
  const zodError = error.cause instanceof z.ZodError ? error.cause : null;
  if (zodError) return zodError.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  // An unexpected throw: its text may hold paths or SQL. Our own TRPCErrors carry no cause.
  if (error.code === 'INTERNAL_SERVER_ERROR' && error.cause !== undefined) {
    return 'Something went wrong on the server. The server log has the details.';
  }
  return error.message;
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
  if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: `${problem}.` });
  const result = await next();
  if (!result.ok) {
    const data = inputDataError(result.error);
    if (data) {
      // The driver's message quotes the statement's parameters (the caller's values): not logged.
      logger.warn({ path, sqlstate: data.code }, 'input refused by the database');
      throw new TRPCError({ code: 'BAD_REQUEST', message: data.message });
    }
  }
  return result;
});

/**
 * The one gate for procedures: no principal → 401, a principal without the role → 403. In local
 * mode the holder of the access token passes every person check (no sign-in, no roles).
 * Procedures pick a builder; handlers never check roles themselves. Every builder then applies the
 * input floor.
 */
function gated(access: Access) {
  const withRole = t.procedure.meta({ access }).use(async ({ ctx, next }) => {
    let principal: Principal;
    try {
      principal = await ctx.principal(access);
    } catch (e) {
      logger.error({ err: e instanceof Error ? e.message : String(e) }, 'could not resolve the session');
      throw new TRPCError({
        code: 'INTERNAL_SERVER_ERROR',
        message: 'Sign-in is unavailable right now. See the server log.',
      });
    }
    const d = decide(principal, access);
    if (d === 'unauthenticated')
      throw new TRPCError({ code: 'UNAUTHORIZED', message: deniedMessage('unauthenticated') });
    if (d === 'forbidden') throw new TRPCError({ code: 'FORBIDDEN', message: deniedMessage('forbidden') });
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
