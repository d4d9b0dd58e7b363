/**
 * How sign-in attempts are throttled (issue 17 item 6). Two counters gate each attempt: one for the
 * account (the e-mail as typed, whether or not anyone has it, so the answer reveals nothing) and
 * one for the client address. Each failure past a counter's free allowance doubles its wait, from
 * 1 s up to a cap, so a guesser gains nothing by rotating addresses and nobody is locked out for
 * longer than the cap. A successful sign-in clears the account's counter.
 */
export const SIGN_IN_THROTTLE = {
  /** Failures of one account tolerated before it waits (a few typos cost nothing). */
  accountFreeFailures: 3,
  /** Failures from one address tolerated before it waits (an office behind one NAT shares it). */
  addressFreeFailures: 20,
  firstWaitSeconds: 1,
  maxWaitSeconds: 300,
  /** A counter whose last wait ended this long ago starts over. */
  forgetAfterSeconds: 3600,
} as const;

export type ThrottleKind = 'account' | 'address';

/** Seconds to wait after the `failures`-th failure in a row. */
export function waitAfterFailures(kind: ThrottleKind, failures: number): number {
  const free = kind === 'account' ? SIGN_IN_THROTTLE.accountFreeFailures : SIGN_IN_THROTTLE.addressFreeFailures;
  const over = failures - free;
  if (over <= 0) return 0;
  // 2^(over-1) without overflow: past 2^20 the cap has long been reached.
  return Math.min(SIGN_IN_THROTTLE.maxWaitSeconds, SIGN_IN_THROTTLE.firstWaitSeconds * 2 ** Math.min(over - 1, 20));
}

/** The one sentence a throttled attempt gets, the same for every account and address. */
export function throttledMessage(retryAfterSeconds: number): string {
  const s = Math.max(1, Math.ceil(retryAfterSeconds));
  const when =
    s < 60 ? `${s} second${s === 1 ? '' : 's'}` : `${Math.ceil(s / 60)} minute${Math.ceil(s / 60) === 1 ? '' : 's'}`;
  return `Too many sign-in attempts. Try again in ${when}.`;
}
