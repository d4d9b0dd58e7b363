import { pidsInGroup, spawnGroup, type Group } from './cleanup';
import type { Benchmark } from './context';
import { line } from './report';
import { median, pollUntil, round, sleep } from './stats';
import { measureWarm, primedCache } from './warm';

/**
 * Scale: a warm collection with 200, then 2,000 extra `sleep 600` processes. They are forked by one
 * shell in its own process group, so one kill removes them all (also on error or Ctrl-C, see
 * cleanup.ts); `sleep 600` also bounds their life if everything else fails.
 */
const STEPS = [200, 2000] as const;

async function spawnSleeps(count: number): Promise<Group> {
  const script = `i=0; while [ "$i" -lt ${count} ]; do sleep 600 & i=$((i+1)); done; wait`;
  const group = spawnGroup('/bin/sh', ['-c', script]);
  try {
    // The shell itself plus `count` sleeps, all in the group.
    await pollUntil(
      () => (pidsInGroup(group.pgid).length >= count + 1 ? true : null),
      `${count} sleep processes`,
      60_000,
      200,
    );
    await sleep(200); // let the last forks finish exec'ing sleep
  } catch (e) {
    await group.kill();
    throw e;
  }
  return group;
}

export const scaleBench: Benchmark = {
  name: 'scale',
  about: 'warm collection cost with 200 and 2,000 extra sleep processes',
  async run(ctx) {
    const reps = ctx.reps(5, 3);
    const cache = await primedCache(ctx);
    const groups: Group[] = [];
    const at: Record<number, { processes: number; collectMs: number; bareMs: number; samples: number[] }> = {};
    try {
      let running = 0;
      for (const target of STEPS) {
        groups.push(await spawnSleeps(target - running));
        running = target;
        const s = await measureWarm(cache, reps);
        const processes = s.lastStats?.totalProcesses ?? Number.NaN;
        at[target] = { processes, collectMs: median(s.proclensMs), bareMs: median(s.bareMs), samples: s.proclensMs };
        ctx.log(
          `scale: +${target} sleeps → ${processes} processes: collect ${round(median(s.proclensMs), 1)} ms, bare ${round(median(s.bareMs), 1)} ms`,
        );
      }
    } finally {
      await Promise.all(groups.map((g) => g.kill()));
    }
    const small = at[STEPS[0]];
    const big = at[STEPS[1]];
    if (!small || !big) throw new Error('scale: a step did not complete');
    const perProc = (x: typeof small) => (x.collectMs * 1000) / x.processes;
    ctx.details.scale = { repetitions: reps, steps: at };
    return [
      line({
        bench: 'scale',
        name: 'Scale: warm collect, +2,000 vs +200 processes',
        figure: { value: big.collectMs, unit: 'ms' },
        baseline: { value: small.collectMs, unit: 'ms', label: '+200 sleeps' },
        target: { on: 'ratio', op: '<=', value: 10 },
        note: `${small.processes} → ${big.processes} processes in total (×${round(big.processes / small.processes, 1)}); bare enumeration ${round(small.bareMs, 0)} → ${round(big.bareMs, 0)} ms; median of ${reps}`,
      }),
      line({
        bench: 'scale',
        name: 'Scale: per-process cost, +2,000 vs +200',
        figure: { value: perProc(big), unit: 'µs/process' },
        baseline: { value: perProc(small), unit: 'µs/process', label: '+200 sleeps' },
        target: null,
        note: `bare enumeration: ${round((small.bareMs * 1000) / small.processes, 0)} → ${round((big.bareMs * 1000) / big.processes, 0)} µs/process`,
      }),
    ];
  },
};
