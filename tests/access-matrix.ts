import fs from 'node:fs';
import path from 'node:path';
import type { Access, Principal } from '@/server/auth/principal';

/**
 * The 401/403 matrix of hosted mode (tests/hosted.test.ts): one caller per role, what each must
 * get from something that needs a given access, and the route handler files to try it on.
 */
export const principals: Record<'anonymous' | 'viewer' | 'analyst' | 'admin' | 'agent', Principal> = {
  anonymous: { kind: 'anonymous' },
  viewer: { kind: 'user', user: { id: 'v', email: 'v@example.org', name: 'v', role: 'viewer' } },
  analyst: { kind: 'user', user: { id: 'a', email: 'a@example.org', name: 'a', role: 'analyst' } },
  admin: { kind: 'user', user: { id: 'd', email: 'd@example.org', name: 'd', role: 'admin' } },
  agent: { kind: 'agent', tokenId: 1, name: 't' },
};

/** What each caller must get from something that needs `access`. */
export function expected(access: Access, who: keyof typeof principals): 'ok' | 401 | 403 {
  if (access === 'public') return 'ok';
  if (who === 'anonymous') return 401;
  if (access === 'agent') return who === 'agent' ? 'ok' : 403;
  if (who === 'agent') return 403;
  const rank = { viewer: 1, analyst: 2, admin: 3 } as const;
  return rank[who] >= rank[access] ? 'ok' : 403;
}

export async function trpcOutcome(fn: (input?: unknown) => Promise<unknown>): Promise<'ok' | 401 | 403> {
  try {
    // An input no schema accepts: a procedure that lets the caller through fails validation (or,
    // without input, simply runs) — never with 401/403.
    await fn(12345);
    return 'ok';
  } catch (e) {
    const code = (e as { code?: string }).code;
    return code === 'UNAUTHORIZED' ? 401 : code === 'FORBIDDEN' ? 403 : 'ok';
  }
}

/** Every route handler file under app/api. */
export function routeFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === 'route.ts') out.push(full);
    }
  };
  walk(path.resolve('app/api'));
  return out;
}

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
