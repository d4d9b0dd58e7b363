import { untriagedParam } from '../_components/triage/triage-param';
import { enumParam, optionalTextParam, type UrlParam } from '../_components/url/url-params';

/** `days`: the window of "seen"; absent (or not a number) is all time. */
const daysParam: UrlParam<number | undefined> = {
  key: 'days',
  parse: (raw) => Number(raw) || undefined,
  format: (v) => (v === undefined ? null : String(v)),
};

/**
 * The Prevalence page's URL, so a link opens the same table: `sort=vtScore` (absent: fewest hosts
 * first), `days`, `hash` (the open row's SHA-256) and `triage=untriaged`.
 */
export const prevalenceParams = {
  sort: enumParam('sort', ['hosts', 'vtScore'], 'hosts'),
  days: daysParam,
  hash: optionalTextParam('hash'),
  triage: untriagedParam,
} as const;
