'use client';

import { usePathname } from 'next/navigation';
import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { paramPatch, type UrlParam } from './url-params';

/**
 * The page's search params as a small external store: the one way the UI reads and writes its URL
 * state. A component subscribes to the ONE key it reads, so a sort click re-renders the table that
 * sorts, not the whole page around it, and the update renders at once (a synchronous store update)
 * instead of in the router's transition. Writes go through `history.replaceState`, which Next's
 * router observes, so its idea of the URL stays current. Each page declares its params once
 * (url-params.ts) and wraps its view in UrlStateProvider with the search the server rendered with.
 */
export type UrlPatch = Record<string, string | null>;

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The search string the server rendered with (no `?`); hydration reads the same one. */
const InitialSearch = createContext('');

export function UrlStateProvider({ search, children }: { search: string; children: ReactNode }) {
  // A navigation that lands on this page with other params re-renders it with a new `search`.
  useEffect(() => notify(), [search]);
  return <InitialSearch.Provider value={search}>{children}</InitialSearch.Provider>;
}

/** One search param's raw value, or null when absent. */
export function useUrlParam(key: string): string | null {
  const initial = useContext(InitialSearch);
  // While a link to another page renders, the window still shows the page we come from: until the
  // router commits the new address, the new page's own (server) search is the truth.
  const pathname = usePathname();
  return useSyncExternalStore(
    subscribe,
    () => new URLSearchParams(window.location.pathname === pathname ? window.location.search : initial).get(key),
    () => new URLSearchParams(initial).get(key),
  );
}

/** One declared param's value (parsed once per raw value, so objects keep their identity). */
export function useUrlValue<T>(param: UrlParam<T>): T {
  const raw = useUrlParam(param.key);
  return useMemo(() => param.parse(raw), [param, raw]);
}

/**
 * Sets (or, with null or '', removes) search params. Reading `window.location` at write time lets
 * updates made in quick succession compose instead of overwriting each other.
 */
export function updateUrlParams(patch: UrlPatch): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || value === '') params.delete(key);
    else params.set(key, value);
  }
  // Commas need no escaping in a query; `cols=name,pid` stays readable in a shared link.
  const qs = params.toString().replace(/%2C/gi, ',');
  const url = `${window.location.pathname}${qs ? `?${qs}` : ''}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, '', url);
    notify();
  }
}

/** Writes one declared param's value (its default removes it from the URL). */
export function setUrlValue<T>(param: UrlParam<T>, value: T): void {
  updateUrlParams(paramPatch(param, value));
}
