import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExtras, stopExtras, type Extras } from './cold';
import { tempDir } from './cleanup';
import type { BenchContext, Benchmark } from './context';
import { COREUTILS_TOOLS, warmPageCache } from './floors';
import { line, type BenchLine, type Target } from './report';
import { median, pairedRatio, round } from './stats';

/**
 * The CLI as cron jobs, scripts and agents pay for it: every contender is a whole process, spawned
 * and timed from spawn to exit, interleaved pair by pair (the order alternates), medians and the
 * median of per-pair ratios. The CLI is bin/proclens.mjs of this tree, or PROCLENS_BENCH_CLI (to time
 * another checkout, e.g. the code before a change, against the same baselines).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = process.env.PROCLENS_BENCH_CLI || path.join(ROOT, 'bin/proclens.mjs');
const MB = 1024 * 1024;

interface Spawned {
  ms: number;
  stdout: string;
}

/** Spawns one process, times it to its exit, fails on a non-zero exit with its stderr. */
function timedProcess(
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

const cliEnv = (extra: Record<string, string>) => ({ ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', ...extra });
const proclens = (args: string[], env: Record<string, string>, keepStdout = false) =>
  timedProcess(process.execPath, [CLI, ...args], cliEnv(env), keepStdout);

/** Runs the pair `reps` times, alternating which goes first; returns both sample lists. */
async function interleaved(
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
function pairLine(
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

/** Compiles the floor process (floor-process.ts) so it starts as plain JavaScript, like the CLI. */
async function buildFloor(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = path.join(ROOT, 'dist', 'bench', 'floor-process.mjs');
  await build({
    absWorkingDir: ROOT,
    entryPoints: [path.join(ROOT, 'scripts/bench/floor-process.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
  });
  return outfile;
}

async function helpLines(ctx: BenchContext): Promise<BenchLine[]> {
  const reps = ctx.reps(9, 3);
  const dataDir = tempDir('proclens-bench-cli-help-');
  await proclens(['--help'], { DATA_DIR: dataDir }); // a stale build is rebuilt here, untimed
  const s = await interleaved(
    ctx,
    'proclens --help vs node -e 0',
    reps,
    async () => (await proclens(['--help'], { DATA_DIR: dataDir })).ms,
    async () => (await timedProcess(process.execPath, ['-e', '0'])).ms,
  );
  ctx.details.cliHelp = { samplesMs: s, cli: CLI };
  return [
    pairLine('CLI: proclens --help (whole process)', s, {
      unit: 'ms',
      baseline: 'node -e 0',
      target: { on: 'ratio', op: '<=', value: 2.5 },
      note: `medians of ${reps} interleaved pairs; ratio = median of per-pair ratios`,
    }),
  ];
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

async function coldLines(ctx: BenchContext, seedScript: string): Promise<BenchLine[]> {
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

async function warmLines(ctx: BenchContext): Promise<BenchLine[]> {
  const reps = ctx.reps(5, 2);
  const dataDir = tempDir('proclens-bench-cli-warm-');
  const floor = await buildFloor();
  const pgliteDir = path.join(dataDir, 'pglite');
  const stored = async () => (await proclens(['collect', '--json'], { DATA_DIR: dataDir })).ms;
  // The database exists and its hash cache is filled: what a cron job meets from the second run on.
  await proclens(['collect', '--json'], { DATA_DIR: dataDir });
  await timedProcess(process.execPath, [floor, pgliteDir]);
  const s = await interleaved(
    ctx,
    'warm stored collect vs PGlite open+close + bare enumeration',
    reps,
    stored,
    async () => (await timedProcess(process.execPath, [floor, pgliteDir])).ms,
  );
  // The CLI runs PGlite's WebAssembly on V8's baseline compiler only (server/cli/short-lived-wasm.ts):
  // the same floor with that flag says what the CLI costs beyond PGlite's own start.
  const liftoff = await interleaved(
    ctx,
    'warm stored collect vs the same floor on V8 Liftoff only',
    reps,
    stored,
    async () => (await timedProcess(process.execPath, ['--liftoff-only', floor, pgliteDir])).ms,
  );
  ctx.details.cliWarm = { samplesMs: s, liftoffFloorSamplesMs: liftoff };
  const note = `nothing changed since the previous run (every hash from the stored cache); each CLI run stores a run; medians of ${reps} interleaved pairs`;
  return [
    pairLine('CLI: warm stored collect --json vs PGlite open+close + bare enumeration', s, {
      unit: 's',
      baseline: 'one Node process: PGlite.create + close, bare /proc enumeration',
      target: { on: 'ratio', op: '<=', value: 1.5 },
      note,
    }),
    pairLine('CLI: warm stored collect --json vs the same floor on V8 Liftoff only', liftoff, {
      unit: 's',
      baseline: 'the floor process under node --liftoff-only (as the CLI runs PGlite)',
      target: null,
      note: `${note}; what the CLI adds to PGlite's own start when both use the same V8 setting`,
    }),
  ];
}

/**
 * A stand-in for the hosted server that stores nothing and answers at once, so the agent's figure
 * is what a host pays (start-up, collection with its file hash cache, the push) without the
 * server's answer time.
 */
async function instantIngest(): Promise<{ url: string; pushes: () => number; close: () => Promise<void> }> {
  let pushes = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      pushes++;
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ runId: pushes }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pushes: () => pushes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function agentLines(ctx: BenchContext): Promise<BenchLine[]> {
  const reps = ctx.reps(5, 2);
  const stateDir = tempDir('proclens-bench-agent-');
  const floor = await buildFloor();
  const ingest = await instantIngest();
  try {
    const env = { AGENT_STATE_DIR: stateDir };
    const args = ['agent', '--server', ingest.url, '--token', 'bench-token-0123456789abcdef', '--once'];
    // The first run fills the agent's hash cache: the host is "unchanged" from the second on.
    await proclens(args, env);
    await timedProcess(process.execPath, [floor, '--bare']);
    const s = await interleaved(
      ctx,
      'agent --once (unchanged host) vs bare enumeration',
      reps,
      async () => (await proclens(args, env)).ms,
      async () => (await timedProcess(process.execPath, [floor, '--bare'])).ms,
    );
    if (ingest.pushes() !== reps + 1)
      throw new Error(`the agent pushed ${ingest.pushes()} snapshots, expected ${reps + 1}`);
    ctx.details.cliAgent = { samplesMs: s };
    return [
      pairLine('CLI: agent --once on an unchanged host vs bare enumeration', s, {
        unit: 'ms',
        baseline: 'one Node process: bare /proc enumeration',
        target: { on: 'ratio', op: '<=', value: 3 },
        note: `whole agent processes pushing to a local stand-in that answers at once (server time not counted); hash cache warm; medians of ${reps} interleaved pairs`,
      }),
    ];
  } finally {
    await ingest.close();
  }
}

export const cliBench: Benchmark = {
  name: 'cli',
  about:
    'the CLI as whole processes: --help vs node -e 0, cold collect vs coreutils and a Python loop, warm stored collect vs PGlite open + enumeration, agent --once vs bare enumeration',
  async run(ctx) {
    const seedScript = path.join(ROOT, 'scripts/bench/seed-loop.py');
    return [
      ...(await helpLines(ctx)),
      ...(await coldLines(ctx, seedScript)),
      ...(await warmLines(ctx)),
      ...(await agentLines(ctx)),
    ];
  },
};
