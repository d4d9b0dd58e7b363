import { afterAll, describe, expect, it } from 'vitest';
import { contentDisposition, workbookFileName } from './file-names';
import { toLocalIsoString } from './local-time';

// Node re-reads TZ on assignment; set before any Date is used. +05:30 (no DST) catches code that
// formats UTC or ignores half-hour offsets.
const originalTz = process.env.TZ;
process.env.TZ = 'Asia/Kolkata';
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('workbookFileName', () => {
  it('uses the local time of the process, zero-padded', () => {
    // 03:04:05 UTC is 08:34:05 in Kolkata.
    const startedAt = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999));
    expect(workbookFileName(startedAt)).toBe('All_process_hash_real_time_2024-01-02_08-34-05.xlsx');
  });

  it('rolls the local date over the year boundary', () => {
    const startedAt = new Date(Date.UTC(2023, 11, 31, 20, 0, 7));
    expect(workbookFileName(startedAt)).toBe('All_process_hash_real_time_2024-01-01_01-30-07.xlsx');
  });

  it('follows TZ when it changes', () => {
    process.env.TZ = 'America/Los_Angeles';
    try {
      // PDT (UTC-7) in July.
      const startedAt = new Date(Date.UTC(2024, 6, 4, 9, 5, 0));
      expect(workbookFileName(startedAt)).toBe('All_process_hash_real_time_2024-07-04_02-05-00.xlsx');
    } finally {
      process.env.TZ = 'Asia/Kolkata';
    }
  });

  it('rejects an invalid date instead of naming a file NaN', () => {
    expect(() => workbookFileName(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('toLocalIsoString', () => {
  it('writes local time with its offset', () => {
    expect(toLocalIsoString(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe('2024-01-02T08:34:05+05:30');
  });
});

describe('contentDisposition', () => {
  it('gives an attachment with a quoted name and an RFC 5987 name', () => {
    const name = 'All_process_hash_real_time_2024-01-02_08-34-05.xlsx';
    expect(contentDisposition(name)).toBe(`attachment; filename="${name}"; filename*=UTF-8''${name}`);
  });

  it('strips quotes, backslashes, CR and LF so no header can be injected', () => {
    const header = contentDisposition('a"b\\c\r\nSet-Cookie: x=1.xlsx');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toBe(
      `attachment; filename="abcSet-Cookie: x=1.xlsx"; filename*=UTF-8''abcSet-Cookie%3A%20x%3D1.xlsx`,
    );
  });

  it('keeps the plain filename ASCII and carries the exact name in filename*', () => {
    const header = contentDisposition("rapport é😀 100%'(x).xlsx");
    expect(header).toBe(
      `attachment; filename="rapport __ 100_'(x).xlsx"; ` +
        `filename*=UTF-8''rapport%20%C3%A9%F0%9F%98%80%20100%25%27%28x%29.xlsx`,
    );
    expect(header).toMatch(/^[\x20-\x7E]*$/);
  });

  it('survives a lone surrogate and an empty name', () => {
    expect(contentDisposition('a\uD800b.csv')).toBe(`attachment; filename="a_b.csv"; filename*=UTF-8''a%EF%BF%BDb.csv`);
    expect(contentDisposition('"\r\n"')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});
