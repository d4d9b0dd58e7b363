/**
 * PROCLENS_PUBLIC_URL's rule, shared by the configuration (lib/env.ts) and the request gate
 * (server/gate/config.ts). Pure.
 */
/** A public URL is http(s) with a host and nothing a browser's Origin header could not match. */
export function parsePublicUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be an absolute URL such as https://proclens.example.org');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must start with http:// or https://');
  if (url.username || url.password) throw new Error('must not contain a user name or password');
  if (url.search || url.hash) throw new Error('must not contain a query or a fragment');
  if (url.pathname !== '/' && url.pathname !== '')
    throw new Error('must be the root of a site (no path): ProcLens is served from /');
  return url;
}
