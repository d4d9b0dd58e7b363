import { describe, expect, it } from 'vitest';
import { isTriageDecision, needsTriage, onIocList, TRIAGE_NOTE_MAX, triageNoteProblem } from './triage';

describe('triage rules', () => {
  it('the IOC list: confirmed malicious in, false positive and benign out, otherwise what VirusTotal says', () => {
    expect(onIocList(false, 'malicious')).toBe(true);
    expect(onIocList(true, 'false-positive')).toBe(false);
    expect(onIocList(true, 'benign')).toBe(false);
    expect(onIocList(true, null)).toBe(true);
    expect(onIocList(false, null)).toBe(false);
  });

  it('"untriaged with VTScore ≥ 1": flagged by an engine and not decided', () => {
    expect(needsTriage(1, null)).toBe(true);
    expect(needsTriage(40, undefined)).toBe(true);
    expect(needsTriage(0, null)).toBe(false);
    expect(needsTriage(null, null)).toBe(false);
    expect(needsTriage(undefined, null)).toBe(false);
    expect(needsTriage(9, 'benign')).toBe(false);
  });

  it('notes: kept as typed up to the bound; NUL refused with a sentence', () => {
    expect(triageNoteProblem('')).toBeNull();
    expect(triageNoteProblem(` x\n${'y'.repeat(TRIAGE_NOTE_MAX - 3)}`)).toBeNull();
    expect(triageNoteProblem('y'.repeat(TRIAGE_NOTE_MAX + 1))).toBe(
      `The note is ${TRIAGE_NOTE_MAX + 1} characters long; at most ${TRIAGE_NOTE_MAX} are kept.`,
    );
    expect(triageNoteProblem('a\u0000b')).toMatch(/NUL/);
  });

  it('decisions are the three names, nothing else', () => {
    expect(['malicious', 'false-positive', 'benign'].every(isTriageDecision)).toBe(true);
    expect(isTriageDecision('Malicious')).toBe(false);
    expect(isTriageDecision(null)).toBe(false);
  });
});
