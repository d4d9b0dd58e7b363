import { describe, expect, it } from 'vitest';
import {
  splitServerError,
  toDraft,
  validateApiKey,
  validateField,
  validateRateDraft,
  type RateValues,
} from './settings-model';

const saved: RateValues = {
  requestsPerMinute: 4,
  requestsPerDay: 500,
  maliciousThreshold: 2,
  cacheTtlDays: 7,
  notFoundTtlHours: 24,
};

describe('rate settings form', () => {
  it('accepts the values as shown, and sends only what changed', () => {
    expect(validateRateDraft(toDraft(saved), saved)).toEqual({ ok: true, changes: {} });
    const draft = { ...toDraft(saved), maliciousThreshold: ' 5 ', cacheTtlDays: '0.5' };
    expect(validateRateDraft(draft, saved)).toEqual({
      ok: true,
      changes: { maliciousThreshold: 5, cacheTtlDays: 0.5 },
    });
  });

  it('explains each bad value beside its field', () => {
    const draft = {
      ...toDraft(saved),
      requestsPerMinute: '0',
      requestsPerDay: '2.5',
      notFoundTtlHours: 'soon',
      maliciousThreshold: '',
    };
    const r = validateRateDraft(draft, saved);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({
      requestsPerMinute: 'Enter a whole number from 1 to 100,000.',
      requestsPerDay: 'Enter a whole number from 1 to 100,000,000.',
      maliciousThreshold: 'Enter a whole number from 1 to 1,000.',
      notFoundTtlHours: 'Enter a number from 0 to 87,600.',
    });
    expect(validateField('cacheTtlDays', '-1')).toEqual({ error: 'Enter a number from 0 to 3,650.' });
    expect(validateField('cacheTtlDays', '3650')).toBe(3650);
  });

  it('puts the server’s input errors beside their fields and keeps the rest for the form', () => {
    expect(
      splitServerError('requestsPerMinute: Too big; maliciousThreshold: Too small', [
        'requestsPerMinute',
        'maliciousThreshold',
      ]),
    ).toEqual({
      fieldErrors: { requestsPerMinute: 'Too big', maliciousThreshold: 'Too small' },
      formError: null,
    });
    expect(splitServerError('The database is unavailable.', ['requestsPerMinute'])).toEqual({
      fieldErrors: {},
      formError: 'The database is unavailable.',
    });
    expect(splitServerError('apiKey: That is too short to be a VirusTotal API key.', ['apiKey'])).toEqual({
      fieldErrors: { apiKey: 'That is too short to be a VirusTotal API key.' },
      formError: null,
    });
  });
});

describe('API key', () => {
  it('catches obvious slips before the key leaves the browser', () => {
    expect(validateApiKey('')).toBe('Paste your VirusTotal API key.');
    expect(validateApiKey('short')).toBe('That is too short to be a VirusTotal API key.');
    expect(validateApiKey('a'.repeat(257))).toBe('That is too long to be a VirusTotal API key.');
    expect(validateApiKey('abcd efgh ijkl')).toBe('An API key has no spaces or special characters.');
    expect(validateApiKey('  0123456789abcdef0123456789abcdef  ')).toBeNull();
  });
});
