import 'server-only';
import os from 'node:os';
import type { Principal } from './principal';

/**
 * Who acted, as every record of an action stores it (a triage decision, a pinned baseline, a
 * token's maker). One label format everywhere: "Name <email>" for a signed-in person (the email
 * alone when the name adds nothing), "local user <OS account>" for the one person of local mode,
 * "agent <token name>" for an agent. Labels stored before this format keep their old text.
 */
export interface Actor {
  label: string;
  /** The Better Auth user id of a signed-in person; null otherwise. */
  userId: string | null;
  /** A signed-in person's email (a token's owner); null otherwise. */
  email: string | null;
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

export function actorOf(p: Principal): Actor {
  if (p.kind === 'user') {
    const { name, email, id } = p.user;
    return { label: name && name !== email ? `${name} <${email}>` : email, userId: id, email };
  }
  if (p.kind === 'local') return { label: `local user ${localUserName()}`, userId: null, email: null };
  // Builders never let an anonymous caller through to an action; the label keeps the type total.
  return { label: p.kind === 'agent' ? `agent ${p.name}` : 'anonymous', userId: null, email: null };
}
