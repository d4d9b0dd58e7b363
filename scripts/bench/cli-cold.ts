import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { tempDir } from './cleanup';
import { cliEnv, CLI, interleaved, pairLine, proclens, timedProcess } from './cli-timing';
import { startExtras, stopExtras, type Extras } from './cold';
import type { BenchContext } from './context';
import { COREUTILS_TOOLS, warmPageCache } from './floors';
import type { BenchLine } from './report';
import { median, pairedRatio, round } from './stats';

/**
 * The CLI's cold collection (`collect --json --no-store`, an empty hash cache, the page cache hot)
 * against the seed's job done by coreutils and by a seed-style Python loop.
 */
const MB = 1024 * 1024;

/** The seed's job done by coreutils over ProcLens's distinct files: three tools, one after the other. */
async function coreutilsProcesses(files: readonly string[]): Promise<number> {
  const t0 = performance.now();
  const present = files.filter((f) => fs.existsSync(f));
  for (const tool of COREUTILS_TOOLS) await timedProcess(tool, ['--', ...present]);
  return performance.now() - t0;
}

/** Paths of the distinct executables a `collect --json` document hashed. */
function hashedFiles(doc: {
  processes: Array<{ pid: number; exe: string | null; exeStatus: string; sha256: string | null }>;
}): string[] {
  const files = new Set<string>();
  for (const p of doc.processes) {
    if (!p.sha256) continue;
    files.add(p.exeStatus === 'ok' && p.exe ? p.exe : `/proc/${p.pid}/exe`);
  }
  return [...files];
}

/**
 * User + system CPU seconds of one whole `collect --json --no-store`, from GNU time (null where it
 * is missing): with the core count, the least wall time any scheduling could reach.
 */
function cpuSecondsOfColdRun(dataDir: string): Promise<number | null> {
  const time = '/usr/bin/time';
  if (!fs.existsSync(time)) return Promise.resolve(null);
  return new Promise((resolve) => {
    const child = spawn(time, ['-f', 'cpu %U %S', process.execPath, CLI, 'collect', '--json', '--no-store'], {
      env: cliEnv({ DATA_DIR: dataDir }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b));
    child.once('error', () => resolve(null));
    child.once('close', (code) => {
      const m = /^cpu ([\d.]+) ([\d.]+)$/m.exec(err);
      resolve(code === 0 && m ? Number(m[1]) + Number(m[2]) : null);
    });
  });
}

export async function coldLines(ctx: BenchContext, seedScript: string): Promise<BenchLine[]> {
  const reps = ctx.reps(5, 2);
  const dataDir = tempDir('proclens-bench-cli-cold-');
  let extras: Extras | null = null;
  try {
    extras = await startExtras();
    // Warm-up: the file list for coreutils, and every file in the page cache for every contender.
    const first = await proclens(['collect', '--json', '--no-store'], { DATA_DIR: dataDir }, true);
    const doc = JSON.parse(first.stdout) as Parameters<typeof hashedFiles>[0];
    const files = hashedFiles(doc);
    const bytes = warmPageCache(files);
    ctx.log(
      `cli: cold: ${doc.processes.length} processes, ${files.length} distinct files, ${round(bytes / MB, 0)} MB (page cache warmed)`,
    );
    const cold = () => proclens(['collect', '--json', '--no-store'], { DATA_DIR: dataDir }).then((r) => r.ms);
    const vsCoreutils = await interleaved(ctx, 'cold collect vs coreutils', reps, cold, () =>
      coreutilsProcesses(files),
    );
    const vsSeed = await interleaved(ctx, 'cold collect vs seed-style Python loop', reps, cold, () =>
      timedProcess('python3', [seedScript]).then((r) => r.ms),
    );
    const cpu = await cpuSecondsOfColdRun(dataDir);
    const cores = os.availableParallelism();
    ctx.details.cliCold = { samplesMs: { vsCoreutils, vsSeed }, processes: doc.processes.length, files, bytes, cpu };
    const common = `${doc.processes.length} processes, ${files.length} distinct files, ${round(bytes / MB, 0)} MB (with the cold bench's extra processes); whole processes, page cache hot; medians of ${reps} interleaved pairs`;
    // What limits the line: the CPU one run needs, spread perfectly over every core.
    const limit =
      cpu === null
        ? ''
        : `; one run needs ${round(cpu, 2)} s of CPU (user + system): on ${cores} cores at best ${round(cpu / cores, 2)} s, ${round(cpu / cores / (median(vsCoreutils.b) / 1000), 2)}× the floor`;
    return [
      pairLine('CLI: cold collect --json --no-store vs coreutils floor', vsCoreutils, {
        unit: 's',
        baseline: 'md5sum+sha1sum+sha256sum processes, sequential',
        target: { on: 'ratio', op: '<=', value: 0.4 },
        note: `${common}${limit}`,
      }),
      pairLine('CLI: cold collect --json --no-store vs seed-style Python loop', vsSeed, {
        unit: 's',
        baseline: 'python3: MD5 of every process exe, no dedupe',
        target: { on: 'ratio', op: '<=', value: 1 / 1.5, label: '≤ 0.67× (≥ 1.5× faster)' },
        note: `${common}; speed-up ${round(1 / pairedRatio(vsSeed.a, vsSeed.b), 2)}×`,
      }),
    ];
  } finally {
    await stopExtras(extras);
  }
}
