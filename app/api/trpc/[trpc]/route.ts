import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { guarded, jsonError, readBodyWithin } from '@/server/api/http';
import { appRouter } from '@/server/api/root';
import { createContext } from '@/server/api/trpc';
import { batchTooLargeMessage, MAX_TRPC_BATCH, trpcCallCount } from '@/server/gate';
import { bodyTooLargeMessage, TRPC_BODY_MAX_BYTES } from '@/server/gate/body-limits';
import { logger } from '@/lib/logger';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

/**
 * Public at the route: every procedure applies its own role through its builder (see trpc.ts).
 * The gate in the proxy has already refused an oversized batch or body by what the request
 * declares; here the same limits are applied to what actually arrives, on the very path and bytes
 * tRPC then reads (a chunked body declares no length; a body Next's proxy cut is over the limit).
 */
const handler = guarded('public', async (req) => {
  const calls = trpcCallCount(new URL(req.url).pathname);
  if (calls > MAX_TRPC_BATCH) return jsonError(413, batchTooLargeMessage(MAX_TRPC_BATCH, calls));
  let request = req;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    const body = await readBodyWithin(req, TRPC_BODY_MAX_BYTES, bodyTooLargeMessage(TRPC_BODY_MAX_BYTES));
    if (body instanceof Response) return body;
    request = new Request(req.url, { method: req.method, headers: req.headers, body: new Uint8Array(body) });
  }
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req: request,
    router: appRouter,
    // tRPC's own cap too (it answers 400): the count above already refused anything larger.
    maxBatchSize: MAX_TRPC_BATCH,
    createContext: () => createContext({ headers: req.headers }),
    onError({ path, error }) {
      if (error.code === 'INTERNAL_SERVER_ERROR') {
        logger.error({ path, err: error.cause?.message ?? error.message }, 'tRPC procedure failed');
      }
    },
  });
});

export { handler as GET, handler as POST };

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET', 'POST');
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
