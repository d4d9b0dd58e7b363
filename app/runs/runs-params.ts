import { optionalTextParam } from '../_components/url/url-params';

/** The Runs page's URL: `host=NAME` narrows the history to one host (the Hosts page links here). */
export const runsParams = { host: optionalTextParam('host') };

/** The run history of one host. */
export function runsOfHostHref(hostname: string): string {
  return `/runs?${runsParams.host.key}=${encodeURIComponent(hostname)}`;
}
