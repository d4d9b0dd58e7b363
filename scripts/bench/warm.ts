import { collectProcesses, createMemoryHashCache } from '@/server/services/processes';
import type { CollectStats } from '@/domain/host';
import type { HashCacheStore } from '@/server/services/processes/types';
import { COLLECT_DEFAULTS, type BenchContext, type Benchmark } from './context';
import { bareEnumerate } from './floors';
import { line, type BenchLine } from './report';
import { median, pairedRatio, round, timed } from './stats';

/**
 * Warm snapshot: nothing changed since the last collection, the same cache answers every file.
 * Compared with bare /proc enumeration (floors.ts): what ProcLens adds on top of listing is the
 * exe stat (for the cache identity), the cache lookup, parsing and sorting.
 */
export interface WarmSamples {
  proclensMs: number[];
  bareMs: number[];
  /** Repetitions in which a file had to be hashed (a new executable appeared meanwhile). */
  repsThatHashed: number;
  lastStats: CollectStats | null;
}

/** Runs `reps` interleaved pairs (alternating which goes first) after one untimed warm-up of each. */
export async function measureWarm(cache: HashCacheStore, reps: number): Promise<WarmSamples> {
  const collect = () => collectProcesses({ ...COLLECT_DEFAULTS, hashCache: cache });
  await collect(); // steady state: host facts, getconf, pool, and any file new since the cache was filled
  await bareEnumerate();
  const out: WarmSamples = { proclensMs: [], bareMs: [], repsThatHashed: 0, lastStats: null };
  for (let rep = 0; rep < reps; rep++) {
    const pl = async () => {
      const { ms, value } = await timed(collect);
      out.proclensMs.push(ms);
      out.lastStats = value.stats;
      if (value.stats.hashedFiles > 0) out.repsThatHashed++;
    };
    const bare = async () => {
      out.bareMs.push((await timed(bareEnumerate)).ms);
    };
    if (rep % 2) {
      await bare();
      await pl();
    } else {
      await pl();
      await bare();
    }
  }
  return out;
}

export function warmLine(s: WarmSamples, reps: number): BenchLine {
  const pl = median(s.proclensMs);
  const bare = median(s.bareMs);
  const hashedNote = s.repsThatHashed
    ? `; ${s.repsThatHashed} repetition(s) hashed a file that appeared meanwhile`
    : '';
  return line({
    bench: 'warm',
    name: 'Warm snapshot vs bare /proc enumeration',
    figure: { value: pl, unit: 'ms' },
    baseline: { value: bare, unit: 'ms', label: 'readdir + stat/status/cmdline + readlink exe, 64 in flight' },
    ratio: pairedRatio(s.proclensMs, s.bareMs),
    target: { on: 'ratio', op: '<=', value: 2 },
    note:
      `${s.lastStats?.totalProcesses} processes, ${s.lastStats?.cacheHits} cache hits, 0 files read; ` +
      `host facts cached (steady state); figures: medians of ${reps} interleaved pairs; ratio: median of the per-pair ratios${hashedNote}`,
  });
}

/** Primes a cache with one full (cold) collection when no earlier bench left one. */
export async function primedCache(ctx: BenchContext): Promise<HashCacheStore> {
  if (ctx.shared.hashCache) return ctx.shared.hashCache;
  const cache = createMemoryHashCache();
  const r = await collectProcesses({ ...COLLECT_DEFAULTS, hashCache: cache });
  ctx.log(`warm: primed the hash cache (${r.stats.hashedFiles} files hashed)`);
  ctx.shared.hashCache = cache;
  return cache;
}

export const warmBench: Benchmark = {
  name: 'warm',
  about: 'warm snapshot (same cache, nothing changed) vs bare /proc enumeration',
  async run(ctx) {
    const reps = ctx.reps(25, 7);
    const s = await measureWarm(await primedCache(ctx), reps);
    ctx.details.warm = {
      repetitions: reps,
      ...s,
      ratioOfMedians: round(median(s.proclensMs) / median(s.bareMs), 3),
      medianOfRatios: round(pairedRatio(s.proclensMs, s.bareMs), 3),
    };
    return [warmLine(s, reps)];
  },
};
