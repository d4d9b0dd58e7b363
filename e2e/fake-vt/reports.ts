import { createHash } from 'node:crypto';
import type { FakeReportSeed } from './types';

/**
 * Turns seeds into VirusTotal v3 file reports. The stat keys are written out here rather than imported
 * from the app: the fake stands in for VirusTotal, so it must not inherit a mistake from the code it tests.
 */
const STAT_KEYS = [
  'harmless',
  'malicious',
  'suspicious',
  'undetected',
  'timeout',
  'confirmed-timeout',
  'failure',
  'type-unsupported',
] as const;
type StatKey = (typeof STAT_KEYS)[number];

export const EICAR_SEED = {
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
  md5: '44d88612fea8a8f36de82e1278abb02f',
  sha1: '3395856ce81f2b7382dee72602f798b642f14140',
  size: 68,
  malicious: 66,
  undetected: 5,
  typeUnsupported: 7,
  label: 'virus.eicar/test',
  meaningfulName: 'eicar.com',
  typeDescription: 'Text',
} as const satisfies FakeReportSeed;

export interface StoredReport {
  sha256: string;
  md5: string;
  sha1: string;
  size: number;
  typeDescription: string;
  stats: Record<StatKey, number>;
  label: string | null;
  meaningfulName: string | null;
  analysed: boolean;
}

// Fixed times keep bodies byte-identical between runs (2024-05-29 / 2024-06-01 UTC).
const FIRST_SEEN = 1_717_000_000;
const LAST_ANALYSIS = 1_717_200_000;

/** A seed without md5/sha1 gets stand-ins derived from its sha256, so lookups by them work too. */
export function storedReport(seed: FakeReportSeed): StoredReport {
  const sha256 = seed.sha256.toLowerCase();
  const derive = (algo: 'md5' | 'sha1') => createHash(algo).update(`fake-vt:${sha256}`).digest('hex');
  const stats = Object.fromEntries(STAT_KEYS.map((k) => [k, 0])) as Record<StatKey, number>;
  if (!seed.noAnalysis) {
    stats.malicious = seed.malicious;
    stats.undetected = seed.undetected ?? 0;
    stats.suspicious = seed.suspicious ?? 0;
    stats.harmless = seed.harmless ?? 0;
    stats['type-unsupported'] = seed.typeUnsupported ?? 0;
  }
  return {
    sha256,
    md5: (seed.md5 ?? derive('md5')).toLowerCase(),
    sha1: (seed.sha1 ?? derive('sha1')).toLowerCase(),
    size: seed.size ?? 4096,
    typeDescription: seed.typeDescription ?? 'ELF',
    stats,
    label: seed.label ?? null,
    meaningfulName: seed.meaningfulName ?? null,
    analysed: !seed.noAnalysis,
  };
}

/** Reports by sha256, reachable by any of the three hashes. */
export function createReportStore() {
  const bySha256 = new Map<string, StoredReport>();
  const alias = new Map<string, string>();
  /** Lower-cases `id` and maps a known md5/sha1 to its sha256. */
  const normalise = (id: string): string => {
    const lower = id.toLowerCase();
    return alias.get(lower) ?? lower;
  };
  return {
    add(seed: FakeReportSeed): StoredReport {
      const r = storedReport(seed);
      bySha256.set(r.sha256, r);
      alias.set(r.md5, r.sha256);
      alias.set(r.sha1, r.sha256);
      return r;
    },
    normalise,
    get: (id: string): StoredReport | undefined => bySha256.get(normalise(id)),
  };
}
export type ReportStore = ReturnType<typeof createReportStore>;

const RESULT_FOR: Partial<Record<StatKey, (label: string | null) => string>> = {
  malicious: (label) => label ?? 'Malware.Generic',
  suspicious: () => 'Suspicious.Heuristic',
};

interface EngineEntry {
  category: StatKey;
  engine_name: string;
  engine_version: string;
  engine_update: string;
  method: string;
  result: string | null;
}

/**
 * One engine per counted verdict. Names are handed out so that alphabetical order (VirusTotal's order)
 * puts the non-detecting engines first: a client that does not sort will show it.
 */
export function engineResults(r: StoredReport): Record<string, EngineEntry> {
  const categories = STAT_KEYS.flatMap((k) => Array<StatKey>(r.stats[k]).fill(k));
  const total = categories.length;
  const entries = categories.map((category, i): EngineEntry => {
    const name = `FakeEngine-${String(total - i).padStart(3, '0')}`;
    return {
      category,
      engine_name: name,
      engine_version: `1.${i}.0`,
      engine_update: '20240601',
      method: 'blacklist',
      result: RESULT_FOR[category]?.(r.label) ?? null,
    };
  });
  entries.sort((a, b) => (a.engine_name < b.engine_name ? -1 : 1));
  return Object.fromEntries(entries.map((e) => [e.engine_name, e]));
}

export function fileReportBody(r: StoredReport, baseUrl: string): unknown {
  const attributes: Record<string, unknown> = {
    md5: r.md5,
    sha1: r.sha1,
    sha256: r.sha256,
    size: r.size,
    type_description: r.typeDescription,
    names: r.meaningfulName ? [r.meaningfulName] : [],
    reputation: -r.stats.malicious,
    tags: r.typeDescription === 'ELF' ? ['elf'] : ['text'],
    times_submitted: 3,
    first_submission_date: FIRST_SEEN,
    last_submission_date: LAST_ANALYSIS,
    last_analysis_stats: r.stats,
    last_analysis_results: r.analysed ? engineResults(r) : {},
    total_votes: { harmless: 0, malicious: r.stats.malicious > 0 ? 1 : 0 },
  };
  if (r.meaningfulName) attributes.meaningful_name = r.meaningfulName;
  if (r.analysed) attributes.last_analysis_date = LAST_ANALYSIS;
  if (r.label) {
    const [category, name] = r.label.split('.');
    attributes.popular_threat_classification = {
      suggested_threat_label: r.label,
      popular_threat_category: category ? [{ count: r.stats.malicious, value: category }] : [],
      popular_threat_name: name ? [{ count: r.stats.malicious, value: name }] : [],
    };
  }
  return {
    data: {
      id: r.sha256,
      type: 'file',
      links: { self: `${baseUrl}/api/v3/files/${r.sha256}` },
      attributes,
    },
  };
}
