/**
 * Whether an agent token may authenticate, and if not, why (issue 17 item 12): the status the
 * owner check in db/queries/agent-tokens.ts computes, and how the Tokens page and the CLI say it.
 */
export const TOKEN_STATUSES = ['active', 'revoked', 'owner-removed', 'owner-banned', 'owner-not-admin'] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

export const TOKEN_STATUS_LABEL: Record<TokenStatus, string> = {
  active: 'Active',
  revoked: 'Revoked',
  'owner-removed': 'Stopped: owner removed',
  'owner-banned': 'Stopped: owner banned',
  'owner-not-admin': 'Stopped: owner no longer an admin',
};

/** Who owns a token, as shown: the owner's email, or the operator's (made from the CLI or a local dashboard). */
export const OPERATOR_OWNER_LABEL = 'operator (CLI)';
