/**
 * Longest `next` kept: a path and query as browsers keep them. Listed in TEXT_MAX (limits.ts) with
 * the other budgets; defined here because the sign-in page imports this module, and limits.ts
 * brings zod (about 25 KB gzipped) into the browser with it.
 */
export const NEXT_PATH_MAX = 2048;

/**
 * Where sign-in may send the browser: `next` comes from the URL, so an attacker chooses it. It is
 * read the way the browser will read it — `new URL(next, origin)`, which turns `\` into `/` and
 * drops tabs and newlines, so `/\evil.test` and `/<TAB>/evil.test` are other hosts — and kept only
 * when it stays on `origin`. The answer is the path the parser produced, checked once more (raw and
 * decoded), because a path such as `/.//evil.test` normalises to `//evil.test`. Anything else goes
 * to `/`.
 * The server's redirect to /sign-in and the sign-in form both use this one rule.
 */
export function safeNext(raw: string | null | undefined, origin: string): string {
  // A path, not a relative reference: `runs` would depend on where the form happens to be.
  if (!raw || raw.length > NEXT_PATH_MAX || !raw.startsWith('/')) return '/';
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
  // Decoded once more too: whatever decodes `/%5Cevil.test` (or `/%2F%2Fevil.test`) must not
  // find another host in it either.
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return '/';
  }
  for (const candidate of [path, decoded]) {
    if (candidate.startsWith('//') || candidate.startsWith('/\\')) return '/';
    if (new URL(candidate, base).origin !== base.origin) return '/';
  }
  return path;
}
