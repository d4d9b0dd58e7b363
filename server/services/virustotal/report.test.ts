import { describe, expect, it } from 'vitest';
import { EICAR_SEED, fileReportBody, storedReport } from '@/e2e/fake-vt/reports';
import { MalformedReportError, parseFileReport } from './report';
import { VT_STAT_KEYS } from './types';
import { vtGuiLink } from '@/domain/verdict';

const SHA = 'ab'.repeat(32);

/** The smallest body a report can be: VirusTotal's id and the stats. */
function minimal(attributes: Record<string, unknown> = {}): unknown {
  return { data: { id: SHA, type: 'file', attributes: { last_analysis_stats: { malicious: 0 }, ...attributes } } };
}

describe('parseFileReport', () => {
  it('reads the full v3 report of EICAR', () => {
    const r = parseFileReport(fileReportBody(storedReport(EICAR_SEED), 'http://127.0.0.1:1'));
    expect(r).toMatchObject({
      sha256: EICAR_SEED.sha256,
      md5: EICAR_SEED.md5,
      sha1: EICAR_SEED.sha1,
      vtScore: 66,
      suspicious: 0,
      totalEngines: 78,
      threatLabel: 'virus.eicar/test',
      meaningfulName: 'eicar.com',
      typeDescription: 'Text',
      link: vtGuiLink(EICAR_SEED.sha256),
    });
    expect(r.stats).toEqual({
      ...Object.fromEntries(VT_STAT_KEYS.map((k) => [k, 0])),
      malicious: 66,
      undetected: 5,
      'type-unsupported': 7,
    });
    expect(r.lastAnalysisAt).toBeInstanceOf(Date);
    expect(r.engines).toHaveLength(78);
    expect(r.engines.slice(0, 66).every((e) => e.category === 'malicious' && e.result === 'virus.eicar/test')).toBe(
      true,
    );
    expect(r.engines[0]).toMatchObject({ method: 'blacklist', engineUpdate: '20240601' });
    expect(r.engines[0]?.engineVersion).toMatch(/^1\.\d+\.0$/);
  });

  it('sorts engines malicious first, then suspicious, then by name', () => {
    const engine = (category: string, result: string | null = null) => ({ category, engine_name: undefined, result });
    const r = parseFileReport(
      minimal({
        last_analysis_stats: { malicious: 2, suspicious: 1, undetected: 2, harmless: 1 },
        last_analysis_results: {
          alpha: engine('undetected'),
          Zeta: engine('malicious', 'Trojan.X'),
          beta: engine('suspicious', 'Heur'),
          delta: engine('harmless'),
          Gamma: engine('undetected'),
          kappa: engine('malicious', 'Trojan.Y'),
        },
      }),
    );
    expect(r.engines.map((e) => `${e.category}:${e.engine}`)).toEqual([
      'malicious:kappa',
      'malicious:Zeta',
      'suspicious:beta',
      'undetected:alpha',
      'harmless:delta',
      'undetected:Gamma',
    ]);
    expect(r.engines[0]).toEqual({
      engine: 'kappa',
      category: 'malicious',
      result: 'Trojan.Y',
      engineVersion: null,
      engineUpdate: null,
      method: null,
    });
  });

  it('tolerates missing optional parts: label, analysis date, stat keys, names, results', () => {
    const r = parseFileReport(minimal({ last_analysis_stats: { malicious: 3, undetected: 4 } }));
    expect(r).toMatchObject({
      sha256: SHA,
      md5: null,
      sha1: null,
      vtScore: 3,
      totalEngines: 7,
      lastAnalysisAt: null,
      threatLabel: null,
      meaningfulName: null,
      typeDescription: null,
      engines: [],
      link: vtGuiLink(SHA),
    });
    expect(r.stats.harmless).toBe(0);
    expect(r.stats['confirmed-timeout']).toBe(0);
  });

  it('reads a report with no analysis yet as VTScore 0 of 0 engines', () => {
    const body = fileReportBody(storedReport({ sha256: SHA, malicious: 5, noAnalysis: true }), 'http://x');
    expect(parseFileReport(body)).toMatchObject({ vtScore: 0, totalEngines: 0, lastAnalysisAt: null, engines: [] });
  });

  it('ignores extra fields and odd display fields, and skips a broken engine entry', () => {
    const r = parseFileReport({
      meta: { anything: true },
      data: {
        id: SHA.toUpperCase(),
        type: 'file',
        links: { self: 'x' },
        attributes: {
          last_analysis_stats: { malicious: 1, undetected: 1, 'new-category': 9 },
          last_analysis_date: 1_700_000_000,
          meaningful_name: 42,
          popular_threat_classification: 'not an object',
          sandbox_verdicts: {},
          last_analysis_results: { ok: { category: 'malicious', engine_name: 'Ok', result: 'X' }, broken: 'nope' },
        },
      },
    });
    expect(r.sha256).toBe(SHA);
    expect(r.totalEngines).toBe(2);
    expect(r.lastAnalysisAt?.toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(r.meaningfulName).toBeNull();
    expect(r.threatLabel).toBeNull();
    expect(r.engines.map((e) => e.engine)).toEqual(['Ok']);
  });

  it('takes the sha256 from the attributes when data.id is not one', () => {
    const body = { data: { id: 'something-else', attributes: { sha256: SHA, last_analysis_stats: {} } } };
    expect(parseFileReport(body).sha256).toBe(SHA);
  });

  it.each([
    ['not an object', 'nope'],
    ['null', null],
    ['an error envelope', { error: { code: 'NotFoundError', message: 'x' } }],
    ['no stats', { data: { id: SHA, attributes: {} } }],
    ['non-numeric stats', minimal({ last_analysis_stats: { malicious: '66' } })],
    ['negative stats', minimal({ last_analysis_stats: { malicious: -1 } })],
    ['null stats', minimal({ last_analysis_stats: null })],
    ['another object type', { data: { id: SHA, type: 'url', attributes: { last_analysis_stats: {} } } }],
    ['no sha256 anywhere', { data: { id: 'x', attributes: { last_analysis_stats: {} } } }],
  ])('throws MalformedReportError for %s', (_what, body) => {
    expect(() => parseFileReport(body)).toThrow(MalformedReportError);
  });

  it('says where a report is malformed', () => {
    expect(() => parseFileReport(minimal({ last_analysis_stats: { malicious: 'x' } }))).toThrow(
      /data\.attributes\.last_analysis_stats\.malicious/,
    );
  });
});
