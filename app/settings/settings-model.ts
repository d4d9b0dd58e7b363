/**
 * The Settings page's forms as pure functions (unit-tested): what each field accepts, the message
 * when it does not, and how the server's input errors map back onto the fields.
 */

import { apiKeyProblem, VT_SETTING_FIELDS, VT_SETTING_LIMITS, type VtSettingField } from '@/domain/vt-settings';

export const RATE_FIELDS: readonly VtSettingField[] = VT_SETTING_FIELDS;

export type RateField = VtSettingField;
export type RateValues = Record<RateField, number>;
export type RateDraft = Record<RateField, string>;
export type FieldErrors<F extends string> = Partial<Record<F, string>>;

interface FieldSpec {
  label: string;
  min: number;
  max: number;
  integer: boolean;
  help: string;
}

/** Words for each field; its bounds come from the one table the server enforces too (the server stays the judge). */
const RATE_FIELD_TEXT: Record<RateField, Pick<FieldSpec, 'label' | 'help'>> = {
  requestsPerMinute: {
    label: 'Requests per minute',
    help: 'Lookups are spaced evenly at this rate, shared by every run and worker.',
  },
  requestsPerDay: {
    label: 'Requests per day',
    help: 'Lookups stop at this count until 00:00 UTC.',
  },
  maliciousThreshold: {
    label: 'Malicious threshold',
    help: 'VTScore ≥ threshold → malicious; a lower score above 0 needs research.',
  },
  cacheTtlDays: {
    label: 'Cache TTL (days)',
    help: 'How long a VirusTotal report is reused before a check asks again.',
  },
  notFoundTtlHours: {
    label: '“Not found” TTL (hours)',
    help: 'How long “VirusTotal has never seen this file” is believed before asking again.',
  },
};

export const RATE_FIELD_SPECS = Object.fromEntries(
  RATE_FIELDS.map((f) => {
    const { min, max, integer } = VT_SETTING_LIMITS[f];
    return [f, { ...RATE_FIELD_TEXT[f], min, max, integer }];
  }),
) as Record<RateField, FieldSpec>;

const num = new Intl.NumberFormat('en-US');

export function toDraft(v: RateValues): RateDraft {
  return Object.fromEntries(RATE_FIELDS.map((f) => [f, String(v[f])])) as RateDraft;
}

export function validateField(field: RateField, raw: string): number | { error: string } {
  const spec = RATE_FIELD_SPECS[field];
  const range = `${spec.integer ? 'a whole number' : 'a number'} from ${num.format(spec.min)} to ${num.format(spec.max)}`;
  const text = raw.trim();
  if (text === '') return { error: `Enter ${range}.` };
  const n = Number(text);
  if (!Number.isFinite(n) || (spec.integer && !Number.isInteger(n)) || n < spec.min || n > spec.max) {
    return { error: `Enter ${range}.` };
  }
  return n;
}

/**
 * Checks every field; returns the fields that differ from `saved` (only those are sent, so saving
 * one value never pins the others to today's defaults) or the errors to show.
 */
export function validateRateDraft(
  draft: RateDraft,
  saved: RateValues,
): { ok: true; changes: Partial<RateValues> } | { ok: false; errors: FieldErrors<RateField> } {
  const errors: FieldErrors<RateField> = {};
  const changes: Partial<RateValues> = {};
  for (const f of RATE_FIELDS) {
    const r = validateField(f, draft[f]);
    if (typeof r === 'number') {
      if (r !== saved[f]) changes[f] = r;
    } else errors[f] = r.error;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, changes };
}

/** The licence note is a public contract (e2e tests read it word for word). */
export const PUBLIC_API_NOTE =
  'The free public API allows 4 requests/minute and 500/day, and may not be used in commercial products or business workflows — a team dashboard needs a premium key.';

/** A first look at a pasted key, so an obvious slip is caught before it leaves the browser. */
export function validateApiKey(raw: string): string | null {
  const key = raw.trim();
  if (key === '') return 'Paste your VirusTotal API key.';
  return apiKeyProblem(key);
}

/**
 * The server words input errors as `field: message; field: message` (see server/api/trpc.ts).
 * Messages about a known field go beside it; anything else is shown for the whole form.
 */
export function splitServerError<F extends string>(
  message: string,
  fields: readonly F[],
): { fieldErrors: FieldErrors<F>; formError: string | null } {
  const fieldErrors: FieldErrors<F> = {};
  const rest: string[] = [];
  for (const part of message.split('; ')) {
    const m = /^([A-Za-z0-9_.]+): (.+)$/s.exec(part);
    const field = m?.[1] as F | undefined;
    if (m && field && fields.includes(field)) fieldErrors[field] = m[2];
    else rest.push(part);
  }
  return { fieldErrors, formError: rest.length > 0 ? rest.join('; ') : null };
}
