import 'server-only';
import { openDb } from '@/db';
import { LOCAL_ACCESS_REQUIRED } from '@/domain/local-access';
import { getEnv } from '@/lib/env';
import { verifyAgentToken } from './agent-tokens';
import { getAuth } from './auth';
import { localAccess, sameToken } from './local-access';
import { roleAllows, type Requirement } from './roles';

/**
 * Who is asking. In local mode the one person is `local` and may do everything — whoever holds
 * the access token (see local-access.ts), or any local caller with PROCLENS_LOCAL_AUTH=off.
 */
export type Principal =
  | { kind: 'local' }
  | { kind: 'user'; user: { id: string; email: string; name: string; role: string | null } }
  | { kind: 'agent'; tokenId: number | null; name: string }
  | { kind: 'anonymous' };

/** What a procedure or route needs: nothing, a person with at least a role, or an agent token. */
export type Access = 'public' | Requirement | 'agent';

export type Decision = 'ok' | 'unauthenticated' | 'forbidden';

/** The one rule every procedure builder and route wrapper applies. */
export function decide(p: Principal, need: Access): Decision {
  if (need === 'public') return 'ok';
  if (p.kind === 'anonymous') return 'unauthenticated';
  if (need === 'agent') return p.kind === 'agent' ? 'ok' : 'forbidden';
  if (p.kind === 'local') return 'ok';
  // A token pushes snapshots and reads nothing.
  if (p.kind === 'agent') return 'forbidden';
  return roleAllows(p.user.role, need) ? 'ok' : 'forbidden';
}

export const DENIED_MESSAGES: Record<Exclude<Decision, 'ok'>, string> = {
  unauthenticated: 'Sign in to use ProcLens.',
  forbidden: 'Your role does not allow this.',
};

/** The sentence for a refusal: local mode has no sign-in, it has the access token. */
export function deniedMessage(d: Exclude<Decision, 'ok'>): string {
  return d === 'unauthenticated' && !getEnv().hosted ? LOCAL_ACCESS_REQUIRED : DENIED_MESSAGES[d];
}

/** An agent: a bearer token from the table, or (local mode) the CLI proving it shares this data directory. */
async function agentPrincipal(headers: Headers): Promise<Principal> {
  const auth = headers.get('authorization') ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  const handle = await openDb();
  if (bearer) {
    const t = await verifyAgentToken(handle.db, bearer);
    return t ? { kind: 'agent', tokenId: t.id, name: t.name } : { kind: 'anonymous' };
  }
  const local = headers.get('x-proclens-local-token');
  if (local && handle.lock && sameToken(local, handle.lock.info.token))
    return { kind: 'agent', tokenId: null, name: 'local-cli' };
  return { kind: 'anonymous' };
}

async function personPrincipal(headers: Headers): Promise<Principal> {
  if (!getEnv().hosted) {
    const access = localAccess(headers);
    return access === 'off' || access === 'valid' ? { kind: 'local' } : { kind: 'anonymous' };
  }
  const auth = await getAuth();
  const s = await auth.api.getSession({ headers });
  if (!s) return { kind: 'anonymous' };
  const u = s.user as typeof s.user & { role?: string | null };
  return { kind: 'user', user: { id: u.id, email: u.email, name: u.name, role: u.role ?? null } };
}

/** Resolves who sent these headers, looking only where `need` can be satisfied. */
export async function resolvePrincipal(headers: Headers, need: Access): Promise<Principal> {
  return need === 'agent' ? agentPrincipal(headers) : personPrincipal(headers);
}
