import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { TokenStatus } from '@/domain/agent-tokens';
import type { Db } from '../index';
import { agentTokens, user } from '../schema';

export interface NewAgentToken {
  name: string;
  tokenHash: string;
  prefix: string;
  createdBy: string | null;
  /** The admin it belongs to; null: the operator's (CLI, local dashboard). */
  owner: { id: string; email: string } | null;
}

/**
 * Whether a person may own tokens now: 'active', 'owner-banned' (Better Auth's rule: banned, and the
 * ban has no end or has not ended) or 'owner-not-admin' (no role in `ownerRoles`, the roles that
 * may manage tokens, from server/auth/roles.ts). Reads the `user` row in scope.
 */
function personStanding(ownerRoles: readonly string[]): SQL<TokenStatus> {
  const roles = sql.join(
    ownerRoles.map((r) => sql`${r}`),
    sql`, `,
  );
  return sql<TokenStatus>`case
    when ${user.banned} and (${user.banExpires} is null or ${user.banExpires} > now()) then 'owner-banned'
    when ${user.role} in (${roles}) then 'active'
    else 'owner-not-admin' end`;
}

/**
 * THE owner check, in one SQL expression: every place that lets a token in (verifyAgentToken, and
 * whatever later derives from a token) asks it, and the lists show it. A token made by a person is
 * theirs and works only while they exist and are in good standing (personStanding). An operator's
 * token (no owner email) answers to no one.
 */
export function tokenStatus(ownerRoles: readonly string[]): SQL<TokenStatus> {
  return sql<TokenStatus>`case
    when ${agentTokens.revokedAt} is not null then 'revoked'
    when ${agentTokens.ownerEmail} is null then 'active'
    else coalesce((select ${personStanding(ownerRoles)} from ${user} where ${user.id} = ${agentTokens.ownerId}),
      'owner-removed') end`;
}

/** The people a token may be given to, by email. */
export async function listPossibleOwners(db: Db, ownerRoles: readonly string[]) {
  return db
    .select({ email: user.email, name: user.name })
    .from(user)
    .where(sql`${personStanding(ownerRoles)} = 'active'`)
    .orderBy(asc(user.email))
    .limit(1000);
}

/** Null when the name is taken. */
export async function insertAgentToken(db: Db, t: NewAgentToken): Promise<{ id: number } | null> {
  const [row] = await db
    .insert(agentTokens)
    .values({
      name: t.name,
      tokenHash: t.tokenHash,
      prefix: t.prefix,
      createdBy: t.createdBy,
      ownerId: t.owner?.id ?? null,
      ownerEmail: t.owner?.email ?? null,
    })
    .onConflictDoNothing()
    .returning({ id: agentTokens.id });
  return row ?? null;
}

export async function listAgentTokens(db: Db, ownerRoles: readonly string[]) {
  return db
    .select({
      id: agentTokens.id,
      name: agentTokens.name,
      prefix: agentTokens.prefix,
      createdAt: agentTokens.createdAt,
      createdBy: agentTokens.createdBy,
      /** The owner's email now (or when they were removed); null for an operator's token. */
      owner: sql<
        string | null
      >`coalesce((select ${user.email} from ${user} where ${user.id} = ${agentTokens.ownerId}), ${agentTokens.ownerEmail})`,
      status: tokenStatus(ownerRoles),
      lastUsedAt: agentTokens.lastUsedAt,
      revokedAt: agentTokens.revokedAt,
    })
    .from(agentTokens)
    .orderBy(asc(agentTokens.name));
}

/** Revokes by name; false when no active token has that name. */
export async function revokeAgentToken(db: Db, name: string): Promise<boolean> {
  const rows = await db
    .update(agentTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(agentTokens.name, name), isNull(agentTokens.revokedAt)))
    .returning({ id: agentTokens.id });
  return rows.length > 0;
}

/** The token with this hash if it may authenticate now, marking it used; null otherwise. */
export async function markAgentTokenUsed(
  db: Db,
  tokenHash: string,
  ownerRoles: readonly string[],
): Promise<{ id: number; name: string } | null> {
  const [row] = await db
    .update(agentTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(agentTokens.tokenHash, tokenHash), sql`${tokenStatus(ownerRoles)} = 'active'`))
    .returning({ id: agentTokens.id, name: agentTokens.name });
  return row ?? null;
}

export type ReassignOutcome =
  { ok: true } | { ok: false; reason: 'no-token' | 'no-person' | Exclude<TokenStatus, 'active' | 'revoked'> };

class Refused extends Error {
  constructor(readonly reason: Exclude<TokenStatus, 'active' | 'revoked'>) {
    super(reason);
  }
}

/**
 * Gives a token that is not revoked to the person with `email`. The change stands only if the
 * token then passes the owner check (tokenStatus); otherwise the transaction writes nothing.
 */
export async function reassignAgentToken(
  db: Db,
  name: string,
  email: string,
  ownerRoles: readonly string[],
): Promise<ReassignOutcome> {
  try {
    return await db.transaction(async (tx) => {
      const [token] = await tx
        .select({ id: agentTokens.id })
        .from(agentTokens)
        .where(and(eq(agentTokens.name, name), isNull(agentTokens.revokedAt)))
        .for('update');
      if (!token) return { ok: false, reason: 'no-token' } as const;
      const [person] = await tx.select({ id: user.id, email: user.email }).from(user).where(eq(user.email, email));
      if (!person) return { ok: false, reason: 'no-person' } as const;
      const [after] = await tx
        .update(agentTokens)
        .set({ ownerId: person.id, ownerEmail: person.email })
        .where(eq(agentTokens.id, token.id))
        .returning({ status: tokenStatus(ownerRoles) });
      if (after?.status !== 'active') throw new Refused((after?.status ?? 'owner-removed') as Refused['reason']);
      return { ok: true } as const;
    });
  } catch (e) {
    if (e instanceof Refused) return { ok: false, reason: e.reason };
    throw e;
  }
}
