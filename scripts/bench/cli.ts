import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { tempDir } from './cleanup';
import { coldLines } from './cli-cold';
import { CLI, interleaved, pairLine, proclens, ROOT, timedProcess } from './cli-timing';
import type { BenchContext, Benchmark } from './context';
import type { BenchLine } from './report';

/**
 * The CLI as cron jobs, scripts and agents pay for it, each contender a whole process (how it is
 * timed: cli-timing.ts): --help, the cold collection (cli-cold.ts), a warm stored collection and
 * an agent's push.
 */

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
