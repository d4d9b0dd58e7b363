import type { HashCacheStore } from '@/server/services/processes/types';
import type { BenchLine } from './report';

/** What run.ts hands every benchmark module. */
export interface BenchContext {
  quick: boolean;
  /** Repetitions: `full` normally, `quick` with --quick. */
  reps(full: number, quick: number): number;
  log(message: string): void;
  /** Raw samples and facts for bench-results.json, under the benchmark's name. */
  details: Record<string, unknown>;
  /** The hash cache the cold bench filled, reused by warm/scale ("same cache"). */
  shared: { hashCache?: HashCacheStore };
}

export interface Benchmark {
  name: string;
  /** One-line description for --help. */
  about: string;
  run(ctx: BenchContext): Promise<BenchLine[]>;
}

/** The options the app itself uses for a collection (HASH_WORKERS=0 → one per core, ≤ 4). */
export const COLLECT_DEFAULTS = { minMemoryPercent: 0, maxFileBytes: 2048 * 1024 * 1024, workers: 0 } as const;
