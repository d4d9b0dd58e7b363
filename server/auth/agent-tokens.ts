import 'server-only';
import crypto from 'node:crypto';
import type { Db } from '@/db';
import { ProcLensError } from '@/domain/errors';
import { hasNul, TEXT_MAX } from '@/domain/limits';
import {
  insertAgentToken,
  listAgentTokens,
  listPossibleOwners,
  markAgentTokenUsed,
  reassignAgentToken,
  revokeAgentToken,
} from '@/db/queries/agent-tokens';
import { TOKEN_OWNER_ROLES } from './roles';

/** Tokens look like `plt_<43 url-safe characters>`; the first 12 characters are the visible prefix. */
const TOKEN_PREFIX = 'plt_';
const VISIBLE = 12;
const TOKEN_RE = /^plt_[A-Za-z0-9_-]{43}$/;
export const TOKEN_NAME_RE = new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${TEXT_MAX.tokenName - 1}}$`);
export const TOKEN_NAME_RULE = `A token name is 1–${TEXT_MAX.tokenName} letters, digits, dots, dashes or underscores, starting with a letter or digit.`;

export class TokenNameTakenError extends ProcLensError {
  constructor(name: string) {
    super('conflict', `A token named "${name}" already exists. Pick another name or revoke that one first.`);
  }
}

export class TokenNameInvalidError extends ProcLensError {
  constructor() {
    super('bad-input', TOKEN_NAME_RULE);
  }
}

/** `token reassign` / the Re-assign button named a token that is not there or is revoked. */
export class TokenNotFoundError extends ProcLensError {
  constructor(name: string) {
    super('not-found', `No token named "${name}" can be re-assigned: there is none, or it was revoked.`);
  }
}

/** The new owner is not someone a token may belong to. */
export class TokenOwnerInvalidError extends ProcLensError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Creates a token and returns it in clear: the only time anyone sees it. `owner` is the admin it
 * belongs to (it dies with them); null makes it the operator's (CLI, local dashboard).
 */
export async function createAgentToken(
  db: Db,
  name: string,
  createdBy: string | null,
  owner: { id: string; email: string } | null = null,
): Promise<{ token: string; prefix: string; name: string }> {
  if (!TOKEN_NAME_RE.test(name)) throw new TokenNameInvalidError();
  const token = TOKEN_PREFIX + crypto.randomBytes(32).toString('base64url');
  const prefix = token.slice(0, VISIBLE);
  const row = await insertAgentToken(db, { name, tokenHash: sha256(token), prefix, createdBy, owner });
  if (!row) throw new TokenNameTakenError(name);
  return { token, prefix, name };
}

/** Every token with its owner and whether it works (`status`). */
export function agentTokenList(db: Db) {
  return listAgentTokens(db, TOKEN_OWNER_ROLES);
}

/** The admins a token may be given to. */
export function possibleTokenOwners(db: Db) {
  return listPossibleOwners(db, TOKEN_OWNER_ROLES);
}

/**
 * Revokes the active token with this name; not-found with a sentence when there is none. Returns
 * true so callers written against the old boolean keep working.
 */
export async function revokeAgentTokenByName(db: Db, name: string): Promise<void> {
  if (!(await revokeAgentToken(db, name))) throw new ProcLensError('not-found', `No active token is named "${name}".`);
}

/** Gives a token that is not revoked to another admin; throws with a sentence when it cannot. */
export async function reassignAgentTokenTo(db: Db, name: string, email: string): Promise<void> {
  const to = email.trim().toLowerCase();
  if (to.length > TEXT_MAX.email || hasNul(to)) throw new TokenOwnerInvalidError('That is not an email address.');
  const r = await reassignAgentToken(db, name, to, TOKEN_OWNER_ROLES);
  if (r.ok) return;
  switch (r.reason) {
    case 'no-token':
      throw new TokenNotFoundError(name);
    case 'no-person':
    case 'owner-removed':
      throw new TokenOwnerInvalidError(`No one has the email ${to}.`);
    case 'owner-banned':
      throw new TokenOwnerInvalidError(`${to} is banned: a token can belong only to an admin in good standing.`);
    case 'owner-not-admin':
      throw new TokenOwnerInvalidError(`${to} is not an admin: a token can belong only to an admin.`);
  }
}

/**
 * The token a request presents if it may authenticate now, or null: unknown, revoked, or its owner
 * is gone, banned or no longer an admin (the owner check is tokenStatus in db/queries/agent-tokens).
 * Malformed tokens never reach the database.
 */
export async function verifyAgentToken(db: Db, presented: string): Promise<{ id: number; name: string } | null> {
  if (!TOKEN_RE.test(presented)) return null;
  return markAgentTokenUsed(db, sha256(presented), TOKEN_OWNER_ROLES);
}
