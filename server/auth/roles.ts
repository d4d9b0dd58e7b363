import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements } from 'better-auth/plugins/admin/access';

/**
 * What each role may do, built with Better Auth's access-control helper so its admin plugin and our
 * procedures read the same table. admin: people, settings, the VirusTotal key, agent tokens;
 * analyst: collect, check, triage, download; viewer: read and download.
 */
const statement = {
  ...defaultStatements,
  run: ['read', 'download', 'collect', 'check', 'triage'],
  settings: ['read', 'update'],
  token: ['create', 'list', 'revoke'],
} as const;

export const ac = createAccessControl(statement);

const viewer = ac.newRole({ run: ['read', 'download'], settings: ['read'] });
const analyst = ac.newRole({ run: ['read', 'download', 'collect', 'check', 'triage'], settings: ['read'] });
const admin = ac.newRole({
  ...adminAc.statements,
  run: ['read', 'download', 'collect', 'check', 'triage'],
  settings: ['read', 'update'],
  token: ['create', 'list', 'revoke'],
});

export const roles = { admin, analyst, viewer };

export const ROLE_NAMES = ['admin', 'analyst', 'viewer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** The permission each procedure builder asks for. `agent` is a token, not a person. */
export type Requirement = 'viewer' | 'analyst' | 'admin';
const REQUIRED: Record<Requirement, Parameters<typeof viewer.authorize>[0]> = {
  viewer: { run: ['read'] },
  analyst: { run: ['collect', 'check'] },
  admin: { settings: ['update'], token: ['create'] },
};

/** Roles that may own an agent token: those allowed to create one. A token stops when its owner leaves them. */
export const TOKEN_OWNER_ROLES: readonly RoleName[] = ROLE_NAMES.filter(
  (r) => roles[r].authorize({ token: ['create'] }).success,
);

export function isRoleName(v: unknown): v is RoleName {
  return typeof v === 'string' && (ROLE_NAMES as readonly string[]).includes(v);
}

/** Whether a person with `role` may use a procedure built for `need`. Unknown roles may do nothing. */
export function roleAllows(role: string | null | undefined, need: Requirement): boolean {
  if (!isRoleName(role)) return false;
  return roles[role].authorize(REQUIRED[need]).success;
}
