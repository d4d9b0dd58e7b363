import 'server-only';
import { passGate } from './pass';
import { withHeaders } from './respond';

/**
 * A route handler that Next's proxy does not run for passes the whole gate here first: the same
 * checks, the same refusals and the same security headers on every answer. What the handler
 * carries (the `access` of a guarded handler) stays on the result.
 */
export function gateRoute<C, P extends object = object>(
  handler: ((req: Request, ctx: C) => Response | Promise<Response>) & P,
): ((req: Request, ctx: C) => Promise<Response>) & P {
  const gated = async (req: Request, ctx: C) => {
    const pass = await passGate({ method: req.method, url: new URL(req.url), headers: req.headers });
    if (pass.kind === 'answer') return pass.response;
    return withHeaders(await handler(req, ctx), pass.decision.responseHeaders);
  };
  return Object.assign(gated, handler as P);
}
