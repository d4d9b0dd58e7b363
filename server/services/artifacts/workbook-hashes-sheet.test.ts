import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { VERDICT_LABELS, vtGuiLink } from '@/domain/verdict';
import { FIXTURE_VT, HOSTILE, hashesOf, makeRunExport, proc, SHA } from '@/tests/export-fixture';
import { pinTimeZone, readWorkbook } from '@/tests/workbook-reading';
import { buildRunWorkbook } from './workbook';

/** The workbook's Hashes sheet: one row per SHA-256 with its VirusTotal facts and where it ran. */
pinTimeZone('Asia/Kolkata');

const { rows, sheet, zipPart } = readWorkbook(buildRunWorkbook(makeRunExport()));

describe('buildRunWorkbook: Hashes sheet', () => {
  const HEADER = [
    'SHA-256',
    'MD5',
    'SHA-1',
    'VTScore',
    'Verdict',
    'Detections',
    'Threat label',
    'Processes',
    'Names',
    'VT link',
  ];

  it('has the exact header row', () => {
    expect(rows('Hashes')[0]).toEqual(HEADER);
  });

  it('lists each SHA-256 once, VTScore descending, then not found, failed, pending', () => {
    expect(
      rows('Hashes')
        .slice(1)
        .map((r) => r[0]),
    ).toEqual([SHA.malicious, SHA.research, SHA.empty, SHA.notFound, SHA.failed, SHA.pending]);
  });

  it('writes a shared malicious hash with detections, label, count and names', () => {
    const { md5, sha1 } = hashesOf(SHA.malicious);
    expect(rows('Hashes')[1]).toEqual([
      SHA.malicious,
      md5,
      sha1,
      7,
      VERDICT_LABELS.malicious,
      '7/72',
      'trojan.mirai/gafgyt',
      2,
      // Names are untrusted: kept exactly, as text.
      `${HOSTILE.formula}, ${HOSTILE.ooxmlEscape}`,
      vtGuiLink(SHA.malicious),
    ]);
    const ws = sheet('Hashes');
    expect(ws.D2?.t).toBe('n');
    expect(ws.H2?.t).toBe('n');
  });

  it('leaves numbers and link empty for hashes without a report', () => {
    const byHash = new Map(rows('Hashes').map((r) => [r[0], r]));
    expect(byHash.get(SHA.notFound)?.slice(3, 8)).toEqual([null, VERDICT_LABELS['not-found'], null, null, 1]);
    expect(byHash.get(SHA.notFound)?.[9]).toBeNull();
    expect(byHash.get(SHA.pending)?.slice(3, 5)).toEqual([null, VERDICT_LABELS.pending]);
    expect(byHash.get(SHA.failed)?.slice(3, 5)).toEqual([null, VERDICT_LABELS.failed]);
  });

  it('freezes and filters the header row', () => {
    expect(zipPart('/xl/worksheets/sheet3.xml')).toContain('state="frozen"');
    expect(sheet('Hashes')['!autofilter']?.ref).toBe('A1:J7');
  });

  it('counts a hashed process without VirusTotal data as pending', () => {
    const data = makeRunExport();
    data.processes.push(proc({ pid: 3001, name: 'fresh', ...hashesOf('9'.repeat(64)) }));
    const table = rows('Hashes', XLSX.read(buildRunWorkbook(data)));
    expect(table.at(-1)?.slice(0, 5)).toEqual([
      '9'.repeat(64),
      '9'.repeat(32),
      '9'.repeat(40),
      null,
      VERDICT_LABELS.pending,
    ]);
  });

  it('keeps a hostile threat label exactly, as text', () => {
    const data = makeRunExport();
    data.processes.push(
      proc({
        pid: 3002,
        name: 'x',
        ...hashesOf('8'.repeat(64)),
        vt: { ...FIXTURE_VT.malicious, threatLabel: '=cmd()' },
      }),
    );
    const table = rows('Hashes', XLSX.read(buildRunWorkbook(data)));
    expect(table.find((r) => r[0] === '8'.repeat(64))?.[6]).toBe('=cmd()');
  });
});
