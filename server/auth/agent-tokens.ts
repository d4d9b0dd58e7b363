import 'server-only';
import crypto from 'node:crypto';
import type { Db } from '@/db';
import { insertAgentToken, listAgentTokens, revokeAgentToken, markAgentTokenUsed } from '@/db/queries/agent-tokens';
import { TEXT_MAX } from '@/domain/limits';

/** Tokens look like `plt_<43 url-safe characters>`; the first 12 characters are the visible prefix. */
const TOKEN_PREFIX = 'plt_';
const VISIBLE = 12;
const TOKEN_RE = /^plt_[A-Za-z0-9_-]{43}$/;
export const TOKEN_NAME_RE = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${TEXT_MAX.tokenName - 1}}$`);
export const TOKEN_NAME_RULE = `A token name is 1–${TEXT_MAX.tokenName} letters, digits, dots, dashes or underscores, starting with a letter or digit.`;

export class TokenNameTakenError extends Error {
  constructor(name: string) {
    super(`A token named "${name}" already exists. Pick another name or revoke that one first.`);
    this.name = 'TokenNameTakenError';
  }
}

export class TokenNameInvalidError extends Error {
  constructor() {
    super(TOKEN_NAME_RULE);
    this.name = 'TokenNameInvalidError';
  }
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/** Creates a token and returns it in clear: the only time anyone sees it. */
export async function createAgentToken(
  db: Db,
  name: string,
  createdBy: string | null,
): Promise<{ token: string; prefix: string; name: string }> {
  if (!TOKEN_NAME_RE.test(name)) throw new TokenNameInvalidError();
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const prefix = token.slice(0, VISIBLE);
  const row = await insertAgentToken(db, { name, tokenHash: sha256(token), prefix, createdBy });
  if (!row) throw new TokenNameTakenError(name);
  return { token, prefix, name };
}

export const agentTokenList = listAgentTokens;
export const revokeAgentTokenByName = revokeAgentToken;

/** The active token a request presents, or null. Malformed tokens never reach the database. */
export async function verifyAgentToken(db: Db, presented: string): Promise<{ id: number; name: string } | null> {
  if (!TOKEN_RE.test(presented)) return null;
  return markAgentTokenUsed(db, sha256(presented));
}
