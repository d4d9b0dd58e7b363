import { describe, expect, it } from 'vitest';
import { SIGN_IN_THROTTLE, throttledMessage, waitAfterFailures } from './sign-in-throttle';

describe('sign-in back-off', () => {
  it('lets the first few failures of an account through, then doubles from 1 s up to the cap', () => {
    const waits = Array.from({ length: 16 }, (_, i) => waitAfterFailures('account', i + 1));
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300, 300]);
    expect(waitAfterFailures('account', 1_000_000)).toBe(SIGN_IN_THROTTLE.maxWaitSeconds);
  });

  it('tolerates more failures from one address than for one account', () => {
    expect(waitAfterFailures('address', SIGN_IN_THROTTLE.addressFreeFailures)).toBe(0);
    expect(waitAfterFailures('address', SIGN_IN_THROTTLE.addressFreeFailures + 1)).toBe(1);
    expect(waitAfterFailures('address', SIGN_IN_THROTTLE.addressFreeFailures + 4)).toBe(8);
  });

  it('says when to try again, in words', () => {
    expect(throttledMessage(1)).toBe('Too many sign-in attempts. Try again in 1 second.');
    expect(throttledMessage(0.2)).toBe('Too many sign-in attempts. Try again in 1 second.');
    expect(throttledMessage(42)).toBe('Too many sign-in attempts. Try again in 42 seconds.');
    expect(throttledMessage(61)).toBe('Too many sign-in attempts. Try again in 2 minutes.');
    expect(throttledMessage(300)).toBe('Too many sign-in attempts. Try again in 5 minutes.');
  });
});
