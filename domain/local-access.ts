import { createHmac } from 'node:crypto';

/**
 * Local mode's access token (issue #17): the server answers only to whoever holds a secret kept in
 * DATA_DIR, as Jupyter does. These names are shared by the server, the CLI (`proclens url`) and the
 * test and bench harnesses, so they are defined once, here.
 */

/** The secret's file inside DATA_DIR (0600; DATA_DIR itself is 0700). */
export const LOCAL_ACCESS_FILE = 'access-token';

/** The query parameter of the printed link: `http://127.0.0.1:3000/?token=…`. */
export const LOCAL_ACCESS_PARAM = 'token';

/** What a stored secret looks like: 32 random bytes, base64url (43 characters). */
export const LOCAL_SECRET_PATTERN = /^[A-Za-z0-9_-]{32,128}$/;

/**
 * The cookie's name. Browsers share cookies between the ports of one host, so two ProcLens servers
 * on 127.0.0.1 (different ports, different secrets) would otherwise overwrite each other's.
 */
export function localAccessCookieName(port: number): string {
  return `proclens_access_${port}`;
}

/**
 * The cookie holds a value derived from the secret, not the secret: a Set-Cookie header, a browser
 * profile or a HAR file then never carries the link's token, and the cookie cannot be replayed
 * as a bearer token or a link.
 */
export function localAccessCookieValue(secret: string): string {
  return createHmac('sha256', secret).update('proclens local access cookie v1').digest('base64url');
}

/** The link `npm start` and `proclens url` print. */
export function localAccessLink(baseUrl: string, secret: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/?${LOCAL_ACCESS_PARAM}=${encodeURIComponent(secret)}`;
}

/** What a request without the token is told (the proxy's 401, and the procedures' own). */
export const LOCAL_ACCESS_REQUIRED =
  'This ProcLens server answers only to whoever holds its access token: open the link printed where it was ' +
  'started (`npx proclens url` prints it again), or send the token as "Authorization: Bearer <token>".';
