import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../index';
import { agentTokens } from '../schema';

export interface NewAgentToken {
  name: string;
  tokenHash: string;
  prefix: string;
  createdBy: string | null;
}

/** Null when the name is taken. */
export async function insertAgentToken(db: Db, t: NewAgentToken): Promise<{ id: number } | null> {
  const [row] = await db.insert(agentTokens).values(t).onConflictDoNothing().returning({ id: agentTokens.id });
  return row ?? null;
}

export async function listAgentTokens(db: Db) {
  return db
    .select({
      id: agentTokens.id,
      name: agentTokens.name,
      prefix: agentTokens.prefix,
      createdAt: agentTokens.createdAt,
      createdBy: agentTokens.createdBy,
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

/** The active token with this hash, marking it used; null when unknown or revoked. */
export async function markAgentTokenUsed(db: Db, tokenHash: string): Promise<{ id: number; name: string } | null> {
  const [row] = await db
    .update(agentTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(agentTokens.tokenHash, tokenHash), isNull(agentTokens.revokedAt)))
    .returning({ id: agentTokens.id, name: agentTokens.name });
  return row ?? null;
}
