'use client';

import { useCallback, useSyncExternalStore } from 'react';

/** The clock as an external store: one value every subscriber reads, refreshed by their timers. */
let current = Date.now();
const readNow = () => current;

/** The current time, re-read every `intervalMs` while `enabled` (for countdowns). */
export function useNow(intervalMs = 1000, enabled = true): number {
  const subscribe = useCallback(
    (onChange: () => void) => {
      if (!enabled) return () => {};
      // Fresh as soon as the countdown starts; React re-reads the value right after subscribing.
      current = Date.now();
      const t = setInterval(() => {
        current = Date.now();
        onChange();
      }, intervalMs);
      return () => clearInterval(t);
    },
    [intervalMs, enabled],
  );
  return useSyncExternalStore(subscribe, readNow, readNow);
}
