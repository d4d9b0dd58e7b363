/**
 * Route handlers answer a method they do not support with 405, a JSON sentence and `Allow`
 * (Next's own 405 has an empty body). Each route exports one of these for every other method;
 * the request matrix (e2e/gate-matrix.spec.ts) finds a route that forgets.
 */
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export function methodNotAllowed(...allowed: Method[]): (req: Request) => Response {
  const list = allowed.join(', ');
  return (req) =>
    Response.json(
      { error: { message: `${req.method} is not allowed here; this address accepts ${list}.` } },
      {
        status: 405,
        headers: { allow: allowed.includes('GET') ? `${list}, HEAD` : list, 'cache-control': 'no-store' },
      },
    );
}
