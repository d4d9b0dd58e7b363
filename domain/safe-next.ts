import { TEXT_MAX } from './limits';

/**
 * Where sign-in may send the browser: `next` comes from the URL, so an attacker chooses it. It is
 * read the way the browser will read it — `new URL(next, origin)`, which turns `\` into `/` and
 * drops tabs and newlines, so `/\evil.test` and `/<TAB>/evil.test` are other hosts — and kept only
 * when it stays on `origin`. The answer is the path the parser produced, checked once more, because
 * a path such as `/.//evil.test` normalises to `//evil.test`. Anything else goes to `/`.
 * The server's redirect to /sign-in and the sign-in form both use this one rule.
 */
export function safeNext(raw: string | null | undefined, origin: string): string {
  // A path, not a relative reference: `runs` would depend on where the form happens to be.
  if (!raw || raw.length > TEXT_MAX.nextPath || !raw.startsWith('/')) return '/';
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return '/';
  }
  if (url.origin !== base.origin) return '/';
  if (url.pathname === '/sign-in' || url.pathname.startsWith('/sign-in/')) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return new URL(path, base).origin === base.origin ? path : '/';
}
