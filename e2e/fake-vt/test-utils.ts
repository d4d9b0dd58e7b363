import type { FakeVt } from './types';

/** The parts of a v3 file report the tests read. */
export interface FakeFileBody {
  data: {
    id: string;
    type: string;
    attributes: {
      md5: string;
      sha1: string;
      sha256: string;
      size: number;
      meaningful_name?: string;
      last_analysis_date?: number;
      last_analysis_stats: Record<string, number>;
      last_analysis_results: Record<string, { category: string; engine_name: string; result: string | null }>;
      popular_threat_classification?: { suggested_threat_label: string };
    };
  };
}

export interface RawAnswer {
  status: number;
  text: string;
  headers: Headers;
  file(): FakeFileBody;
  error(): { code: string; message: string };
}

/** A raw lookup against the fake, as VirusTotal's clients make it. Test-only helper. */
export async function lookupRaw(
  fake: Pick<FakeVt, 'url' | 'apiKey'>,
  id: string,
  init: { key?: string | null; method?: string; signal?: AbortSignal } = {},
): Promise<RawAnswer> {
  const key = init.key === undefined ? fake.apiKey : init.key;
  const res = await fetch(`${fake.url}/api/v3/files/${id}`, {
    method: init.method ?? 'GET',
    headers: key === null ? {} : { 'x-apikey': key },
    signal: init.signal,
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    headers: res.headers,
    file: () => JSON.parse(text) as FakeFileBody,
    error: () => (JSON.parse(text) as { error: { code: string; message: string } }).error,
  };
}

export const EICAR = {
  md5: '44d88612fea8a8f36de82e1278abb02f',
  sha1: '3395856ce81f2b7382dee72602f798b642f14140',
  sha256: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
} as const;

/** A hash nobody has seeded. */
export const UNKNOWN_SHA256 = 'ab'.repeat(32);
