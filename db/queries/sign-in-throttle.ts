import { eq, lt, sql } from 'drizzle-orm';
import { SIGN_IN_THROTTLE, waitAfterFailures, type ThrottleKind } from '@/domain/sign-in-throttle';
import type { Db } from '../index';
import { signInThrottle } from '../schema';

export interface ThrottleKey {
  kind: ThrottleKind;
  /** `account:<email>` or `address:<bucket>`. */
  key: string;
}

export type Admission = { admitted: true } | { admitted: false; retryAfterMs: number };

class Waiting extends Error {
  constructor(readonly retryAfterMs: number) {
    super('waiting');
  }
}

const FORGET_MS = SIGN_IN_THROTTLE.forgetAfterSeconds * 1000;

/**
 * Lets one sign-in attempt through for all `keys` or for none. The rows are locked (created when
 * missing) in key order, so concurrent attempts queue instead of deadlocking. When none of them is
 * waiting, each is charged its failure up front (the attempt counts as failed until it succeeds):
 * a burst of parallel guesses is admitted only as far as the free allowance goes. A refused attempt
 * writes nothing, so attempts while waiting neither lengthen the wait nor add rows.
 */
export async function admitSignIn(db: Db, keys: readonly ThrottleKey[]): Promise<Admission> {
  const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  try {
    await db.transaction(async (tx) => {
      const rows = await tx
        .insert(signInThrottle)
        .values(sorted.map((k) => ({ key: k.key, failures: 0, blockedUntil: sql`now()` })))
        // A no-op update, for its row lock.
        .onConflictDoUpdate({ target: signInThrottle.key, set: { failures: sql`${signInThrottle.failures}` } })
        .returning({
          key: signInThrottle.key,
          failures: signInThrottle.failures,
          blockedUntil: signInThrottle.blockedUntil,
          nowMs: sql<number>`(extract(epoch from now()) * 1000)::float8`,
        });
      const now = Number(rows[0]!.nowMs);
      const wait = Math.max(0, ...rows.map((r) => r.blockedUntil.getTime() - now));
      if (wait > 0) throw new Waiting(wait);
      for (const k of sorted) {
        const row = rows.find((r) => r.key === k.key)!;
        const failures = now >= row.blockedUntil.getTime() + FORGET_MS ? 1 : row.failures + 1;
        const seconds = waitAfterFailures(k.kind, failures);
        await tx
          .update(signInThrottle)
          .set({ failures, blockedUntil: sql`now() + make_interval(secs => ${seconds})` })
          .where(eq(signInThrottle.key, k.key));
      }
    });
  } catch (e) {
    if (e instanceof Waiting) return { admitted: false, retryAfterMs: e.retryAfterMs };
    throw e;
  }
  return { admitted: true };
}

/**
 * A successful sign-in: the account starts over; the address only gets this attempt's charge
 * back (one valid account must not wipe what its address did to other accounts).
 */
export async function signInSucceeded(db: Db, account: string, address: string | null): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, account));
  if (address !== null)
    await db
      .update(signInThrottle)
      .set({ failures: sql`greatest(${signInThrottle.failures} - 1, 0)` })
      .where(eq(signInThrottle.key, address));
}

/** Deletes counters whose wait ended long enough ago that they would start over anyway. */
export async function forgetOldSignInFailures(db: Db): Promise<void> {
  await db
    .delete(signInThrottle)
    .where(lt(signInThrottle.blockedUntil, sql`now() - make_interval(secs => ${SIGN_IN_THROTTLE.forgetAfterSeconds})`));
}
