import { waitAfterFailures, type ThrottleKind } from '@/domain/sign-in-throttle';

/**
 * The most sign-in attempts one counter can let through in `ms`: its free ones at once, then one
 * more each time its wait ends. Throttling tests bound what got through by this rather than
 * assuming how fast the machine ran them.
 */
export function mostEvaluatedIn(ms: number, kind: ThrottleKind = 'account'): number {
  let total = 0;
  for (let n = 0; ; n++) {
    total += waitAfterFailures(kind, n) * 1000;
    if (total > ms) return n;
  }
}
