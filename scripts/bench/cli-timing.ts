import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchContext } from './context';
import { COREUTILS_TOOLS } from './floors';
import { line, type BenchLine, type Target } from './report';
import { median, pairedRatio, round } from './stats';

/**
 * How the CLI bench times: every contender is a whole process, spawned and timed from spawn to
 * exit, interleaved pair by pair (the order alternates), medians and the median of per-pair
 * ratios. The CLI is bin/proclens.mjs of this tree, or PROCLENS_BENCH_CLI (to time another
 * checkout, e.g. the code before a change, against the same baselines).
 */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = process.env.PROCLENS_BENCH_CLI || path.join(ROOT, 'bin/proclens.mjs');

export interface Spawned {
  ms: number;
  stdout: string;
}

/** Spawns one process, times it to its exit, fails on a non-zero exit with its stderr. */
export function timedProcess(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  keepStdout = false,
): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    child.once('error', reject);
    child.once('close', (code) => {
      const ms = performance.now() - t0;
      // coreutils exit 1 when a file vanished meanwhile (a process exited): not a failure of the tool.
      const ok = code === 0 || (code === 1 && (COREUTILS_TOOLS as readonly string[]).includes(command));
      if (!ok)
        reject(
          new Error(
            `${path.basename(command)} ${args.join(' ').slice(0, 80)} exited with ${code}: ${Buffer.concat(err).toString().trim().slice(-300)}`,
          ),
        );
      else resolve({ ms, stdout: Buffer.concat(out).toString() });
    });
  });
}

export const cliEnv = (extra: Record<string, string>) => ({
  ...process.env,
  DATABASE_URL: '',
  LOG_LEVEL: 'warn',
  ...extra,
});
export const proclens = (args: string[], env: Record<string, string>, keepStdout = false) =>
  timedProcess(process.execPath, [CLI, ...args], cliEnv(env), keepStdout);

/** Runs the pair `reps` times, alternating which goes first; returns both sample lists. */
export async function interleaved(
  ctx: BenchContext,
  label: string,
  reps: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
) {
  const as: number[] = [];
  const bs: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    if (rep % 2) {
      bs.push(await b());
      as.push(await a());
    } else {
      as.push(await a());
      bs.push(await b());
    }
  }
  ctx.log(`cli: ${label}: ${as.map((v) => round(v, 0)).join(', ')} ms vs ${bs.map((v) => round(v, 0)).join(', ')} ms`);
  return { a: as, b: bs };
}

/**
 * One line from interleaved samples (`a` the CLI, `b` its baseline, both in ms): medians shown in
 * `unit`, the ratio the median of per-pair ratios.
 */
export function pairLine(
  name: string,
  s: { a: number[]; b: number[] },
  opts: { unit: 'ms' | 's'; baseline: string; target: Target | null; note: string },
): BenchLine {
  const scale = opts.unit === 's' ? 1000 : 1;
  return line({
    bench: 'cli',
    name,
    figure: { value: median(s.a) / scale, unit: opts.unit },
    baseline: { value: median(s.b) / scale, unit: opts.unit, label: opts.baseline },
    ratio: pairedRatio(s.a, s.b),
    target: opts.target,
    note: opts.note,
  });
}
