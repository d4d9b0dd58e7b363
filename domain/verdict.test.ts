import { describe, expect, it } from 'vitest';
import { DEFAULT_MALICIOUS_THRESHOLD, txtOutcome, verdictFor, vtGuiLink } from './verdict';
import { vtStateOf } from './vt-state';

describe('the verdict rule', () => {
  it('is the seed threshold by default: VTScore >= 2 is malicious', () => {
    expect(DEFAULT_MALICIOUS_THRESHOLD).toBe(2);
    expect(verdictFor(66, 2)).toBe('malicious');
    expect(verdictFor(2, 2)).toBe('malicious');
    expect(verdictFor(1, 2)).toBe('needs-research');
    expect(verdictFor(0, 2)).toBe('not-malicious');
    expect(verdictFor(null, 2)).toBe('not-found');
  });

  it('follows a configured threshold', () => {
    expect(verdictFor(4, 5)).toBe('needs-research');
    expect(verdictFor(5, 5)).toBe('malicious');
    expect(verdictFor(1, 1)).toBe('malicious');
  });

  it("maps onto the seed's three txt outcomes (needs research is below the threshold)", () => {
    expect(txtOutcome('malicious')).toBe('malicious');
    expect(txtOutcome('needs-research')).toBe('Not malicious');
    expect(txtOutcome('not-malicious')).toBe('Not malicious');
    expect(txtOutcome('not-found')).toBe('The secure score is not found');
  });

  it('links to the VirusTotal page of the hash', () => {
    expect(vtGuiLink('ab'.repeat(32))).toBe(`https://www.virustotal.com/gui/file/${'ab'.repeat(32)}`);
  });
});

describe('a row’s VirusTotal state', () => {
  const base = {
    sha256: 'a'.repeat(64),
    vtFound: null,
    vtScore: null,
    vtTotalEngines: null,
    vtThreatLabel: null,
    vtJobStatus: null,
    vtJobError: null,
  };
  it('is decided from the stored answer with the threshold in force', () => {
    expect(vtStateOf({ ...base, vtFound: true, vtScore: 3, vtTotalEngines: 70, vtThreatLabel: 't' }, 2)).toEqual({
      state: 'checked',
      vtScore: 3,
      verdict: 'malicious',
      totalEngines: 70,
      threatLabel: 't',
    });
    expect(vtStateOf({ ...base, vtFound: true, vtScore: 3 }, 5)).toMatchObject({ verdict: 'needs-research' });
    expect(vtStateOf({ ...base, vtFound: false }, 2)).toMatchObject({
      state: 'checked',
      vtScore: null,
      verdict: 'not-found',
    });
  });
  it('keeps a stored answer while a re-check is queued, else says pending or failed', () => {
    expect(vtStateOf({ ...base, vtFound: true, vtScore: 0, vtJobStatus: 'queued' }, 2)).toMatchObject({
      verdict: 'not-malicious',
    });
    expect(vtStateOf({ ...base, vtJobStatus: 'queued' }, 2)).toEqual({ state: 'pending', reason: null });
    expect(vtStateOf({ ...base, vtJobStatus: 'failed', vtJobError: 'timed out' }, 2)).toEqual({
      state: 'failed',
      reason: 'timed out',
    });
    expect(vtStateOf(base, 2)).toBeNull();
    expect(vtStateOf({ ...base, sha256: null, exeStatus: 'kernel-thread' }, 2)).toEqual({
      state: 'not-hashed',
      reason: 'kernel-thread',
    });
  });
});
