import 'server-only';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { z } from 'zod';
import { DatabaseUnavailableError, getDb, type Db } from '@/db';
import { logger } from '@/server/logger';

export interface Context {
  headers: Headers;
  /** The database, opened on first use so a procedure that needs none never waits for it. */
  db: () => Promise<Db>;
}

export function createContext(opts: { headers: Headers }): Context {
  return {
    headers: opts.headers,
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

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const { stack: _stack, ...data } = shape.data;
    return { ...shape, message: userMessage(error), data };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;
