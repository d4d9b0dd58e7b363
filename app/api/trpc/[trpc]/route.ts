import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { guarded } from '@/server/api/http';
import { appRouter } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { logger } from '@/server/logger';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

/** Public at the route: every procedure applies its own role through its builder (see trpc.ts). */
const handler = guarded('public', async (req) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createContext({ headers: req.headers }),
    onError({ path, error }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ path, err: error.cause?.message ?? error.message }, 'tRPC procedure failed');
      }
    },
  }),
);

export { handler as GET, handler as POST };

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET', 'POST');
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
