import { describe, expect, it } from 'vitest';
import { CELL_TEXT_MAX, clipStart, escapeForDisplay, hasSpecialChars, toDisplaySegments } from './display-text';

describe('escapeForDisplay', () => {
  it('leaves ordinary text (including non-Latin scripts) alone', () => {
    expect(escapeForDisplay('nginx: worker process')).toBe('nginx: worker process');
    expect(escapeForDisplay('процесс 進程 ملف')).toBe('процесс 進程 ملف');
    expect(hasSpecialChars('/usr/bin/python3.12')).toBe(false);
  });

  it('shows line breaks and tabs as escapes', () => {
    expect(escapeForDisplay('a\r\nb\tc')).toBe('a\\r\\nb\\tc');
  });

  it('shows bidi overrides, isolates and zero-width characters as \\uXXXX', () => {
    expect(escapeForDisplay('invoice\u202Efdp.exe')).toBe('invoice\\u202Efdp.exe');
    expect(escapeForDisplay('\u2066x\u2069')).toBe('\\u2066x\\u2069');
    expect(escapeForDisplay('ba\u200Bsh')).toBe('ba\\u200Bsh');
    expect(escapeForDisplay('\uFEFFbom')).toBe('\\uFEFFbom');
  });

  it('shows other control characters, DEL and C1 controls', () => {
    expect(escapeForDisplay('\u0000\u001B[31m\u007F\u0085')).toBe('\\u0000\\u001B[31m\\u007F\\u0085');
  });

  it('keeps markup as literal text (React renders it as text)', () => {
    expect(escapeForDisplay('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
  });
});

describe('toDisplaySegments', () => {
  it('returns one plain segment for ordinary text and none for the empty string', () => {
    expect(toDisplaySegments('bash')).toEqual([{ text: 'bash', escaped: false }]);
    expect(toDisplaySegments('')).toEqual([]);
  });

  it('splits around special characters and merges adjacent escapes', () => {
    expect(toDisplaySegments('a\u202Eb\r\nc')).toEqual([
      { text: 'a', escaped: false },
      { text: '\\u202E', escaped: true },
      { text: 'b', escaped: false },
      { text: '\\r\\n', escaped: true },
      { text: 'c', escaped: false },
    ]);
    expect(toDisplaySegments('\n')).toEqual([{ text: '\\n', escaped: true }]);
  });

  it('clips long values and marks the cut', () => {
    const long = 'x'.repeat(4096);
    const segs = toDisplaySegments(long);
    expect(segs[0]).toEqual({ text: 'x'.repeat(CELL_TEXT_MAX), escaped: false });
    expect(segs[1]).toEqual({ text: '…', escaped: true });
  });

  it('never splits a surrogate pair when clipping', () => {
    const segs = toDisplaySegments(`ab😀cd`, 3);
    expect(segs[0]?.text).toBe('ab');
  });
});

describe('clipStart', () => {
  it('keeps the end of a long path', () => {
    expect(clipStart('/usr/lib/systemd/systemd-journald', 12)).toBe('…md-journald');
    expect(clipStart('/bin/sh', 12)).toBe('/bin/sh');
  });
});
