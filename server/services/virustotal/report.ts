import { z } from 'zod';
import { ProcLensError } from '@/domain/errors';
import type { VtEngineResult } from '@/domain/verdict';
import { VT_STAT_KEYS, type VtReport, type VtStatKey, type VtStats } from './types';
import { vtGuiLink } from '@/domain/verdict';

/**
 * Turns a VirusTotal v3 file report (`GET /api/v3/files/{id}`, 200) into a `VtReport`.
 *
 * Strict only where the verdict depends on it: `last_analysis_stats` must be there and numeric, and the
 * SHA-256 must be readable. Everything shown for colour (names, label, engine details) is tolerated
 * missing or odd: a display field VirusTotal drops or reshapes must not cost the user the VTScore.
 */

/** VirusTotal answered with a report we cannot read: the lookup failed upstream, not here. */
export class MalformedReportError extends ProcLensError {
  constructor(message: string) {
    super('unavailable', message);
  }
}

const count = z.number().int().nonnegative();
const statsSchema = z.object({
  harmless: count.optional(),
  malicious: count.optional(),
  suspicious: count.optional(),
  undetected: count.optional(),
  timeout: count.optional(),
  'confirmed-timeout': count.optional(),
  failure: count.optional(),
  'type-unsupported': count.optional(),
} satisfies Record<VtStatKey, z.ZodType>);

const display = z.string().nullish().catch(null);
const hex = (len: number) =>
  z
    .string()
    .regex(new RegExp(`^[0-9a-fA-F]{${len}}$`))
    .nullish()
    .catch(null);

const engineSchema = z.object({
  category: z.string(),
  engine_name: display,
  engine_version: display,
  engine_update: display,
  method: display,
  result: display,
});

const reportSchema = z.object({
  data: z.object({
    id: z.string().optional(),
    type: z.literal('file').optional(),
    attributes: z.object({
      md5: hex(32),
      sha1: hex(40),
      sha256: hex(64),
      size: z.number().int().nonnegative().nullish().catch(null),
      type_description: display,
      meaningful_name: display,
      last_analysis_date: z.number().nonnegative().nullish().catch(null),
      last_analysis_stats: statsSchema,
      // A broken engine entry is skipped, not fatal: the stats already carry the verdict.
      last_analysis_results: z.record(z.string(), engineSchema.nullable().catch(null)).nullish().catch(null),
      popular_threat_classification: z.object({ suggested_threat_label: display }).nullish().catch(null),
    }),
  }),
});

const CATEGORY_RANK: Record<string, number> = { malicious: 0, suspicious: 1 };

/** Malicious first, then suspicious, then everything else; by engine name within each group. */
function compareEngines(a: VtEngineResult, b: VtEngineResult): number {
  const rank = (CATEGORY_RANK[a.category] ?? 2) - (CATEGORY_RANK[b.category] ?? 2);
  return rank !== 0 ? rank : a.engine.localeCompare(b.engine, 'en', { sensitivity: 'base' });
}

function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  const more = error.issues.length > 3 ? `; and ${error.issues.length - 3} more` : '';
  return shown.join('; ') + more;
}

export function parseFileReport(json: unknown): VtReport {
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    throw new MalformedReportError(`malformed VirusTotal file report: ${describeIssues(parsed.error)}`);
  }
  const { data } = parsed.data;
  const a = data.attributes;
  // `data.id` is always the SHA-256 on VirusTotal; the attribute is the fallback, not the other way round.
  const sha256 = [data.id, a.sha256].find((v): v is string => !!v && /^[0-9a-fA-F]{64}$/.test(v));
  if (!sha256) throw new MalformedReportError('malformed VirusTotal file report: no SHA-256 in data.id or attributes');

  const stats = Object.fromEntries(VT_STAT_KEYS.map((k) => [k, a.last_analysis_stats[k] ?? 0])) as VtStats;
  const engines = Object.entries(a.last_analysis_results ?? {})
    .flatMap(([key, e]): VtEngineResult[] =>
      e
        ? [
            {
              engine: e.engine_name || key,
              category: e.category,
              result: e.result ?? null,
              engineVersion: e.engine_version ?? null,
              engineUpdate: e.engine_update ?? null,
              method: e.method ?? null,
            },
          ]
        : [],
    )
    .sort(compareEngines);

  const lower = sha256.toLowerCase();
  return {
    sha256: lower,
    md5: a.md5?.toLowerCase() ?? null,
    sha1: a.sha1?.toLowerCase() ?? null,
    size: a.size ?? null,
    vtScore: stats.malicious,
    stats,
    suspicious: stats.suspicious,
    totalEngines: VT_STAT_KEYS.reduce((sum, k) => sum + stats[k], 0),
    lastAnalysisAt: a.last_analysis_date != null ? new Date(a.last_analysis_date * 1000) : null,
    threatLabel: a.popular_threat_classification?.suggested_threat_label || null,
    meaningfulName: a.meaningful_name || null,
    typeDescription: a.type_description || null,
    engines,
    link: vtGuiLink(lower),
  };
}
