import 'server-only';
import os from 'node:os';
import type { Principal } from './principal';

export interface Identity {
  /** As shown beside a decision. */
  label: string;
  /** The Better Auth user id in hosted mode; null for the local user. */
  id: string | null;
}

let localName: string | null = null;

/** The OS account running the server: in local mode the one person on localhost is that user. */
function localUserName(): string {
  if (localName === null) {
    try {
      localName = os.userInfo().username;
    } catch {
      // No passwd entry for the uid (some containers): the environment is the next best witness.
      localName = process.env.USER ?? process.env.LOGNAME ?? `uid ${process.getuid?.() ?? '?'}`;
    }
  }
  return localName;
}

/** Who is making a change, for the record: "Name <email>" signed in, "local user NAME" on localhost. */
export function identityOf(p: Principal): Identity {
  if (p.kind === 'user') {
    const { name, email, id } = p.user;
    return { label: name && name !== email ? `${name} <${email}>` : email, id };
  }
  if (p.kind === 'local') return { label: `local user ${localUserName()}`, id: null };
  // Builders never let these through to a mutation; the label only keeps the type total.
  return { label: p.kind === 'agent' ? `agent ${p.name}` : 'anonymous', id: null };
}
