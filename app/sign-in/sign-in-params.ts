import { optionalTextParam } from '../_components/url/url-params';

/** `next`: where to go once signed in (checked by safeNext before use; the server's gate writes it too). */
export const signInParams = { next: optionalTextParam('next') };

/** The sign-in page's address that comes back to `next` afterwards. */
export function signInHref(next: string): string {
  return `/sign-in?${signInParams.next.key}=${encodeURIComponent(next)}`;
}
