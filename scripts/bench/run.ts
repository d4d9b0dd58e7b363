/**
 * `npm run bench` — ProcLens against its baselines, every figure a ratio measured in the same run.
 *
 *   npm run bench                      all benchmarks (< 5 min on 2 cores)
 *   npm run bench -- --quick           fewer repetitions
 *   npm run bench -- --only warm       one benchmark (comma-separate for several)
 *
 * Progress goes to stderr; the Markdown table (and its notes) to stdout at the end. Results are
 * written to bench-results.json at the repository root (gitignored); a partial run (--only)
 * replaces just its own benchmarks' lines there.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanupAll, installCleanupHandlers } from './cleanup';
import type { BenchContext, Benchmark } from './context';
import { errorLine, formatNotes, formatTable, summarize, type BenchLine } from './report';

// Before any server module is loaded: the logger reads its level once, at import.
process.env.LOG_LEVEL ??= 'error';
process.env.NEXT_TELEMETRY_DISABLED = '1';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RESULTS = path.join(ROOT, 'bench-results.json');

interface Args {
  only: string[] | null;
  quick: boolean;
  help: boolean;
}

export function parseArgs(argv: readonly string[]): Args {
  const args: Args = { only: null, quick: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--quick') args.quick = true;
    else if (a === '--help' || a === '-h') args.help = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!value) throw new Error('--only needs a benchmark name');
      args.only = [
        ...(args.only ?? []),
        ...value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ];
    } else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

async function loadBenchmarks(): Promise<Benchmark[]> {
  const [cli, cold, warm, scale, vt, vtQueue, dashboard, hosted] = await Promise.all([
    import('./cli'),
    import('./cold'),
    import('./warm'),
    import('./scale'),
    import('./vt'),
    import('./vt-queue'),
    import('./dashboard'),
    import('./hosted'),
  ]);
  return [
    cli.cliBench,
    cold.coldBench,
    warm.warmBench,
    scale.scaleBench,
    vt.vtBench,
    vtQueue.vtQueueBench,
    dashboard.dashboardBench,
    hosted.hostedBench,
  ];
}

function readPrevious(): BenchLine[] {
  try {
    const data = JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as { lines?: BenchLine[] };
    return Array.isArray(data.lines) ? data.lines : [];
  } catch {
    return [];
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const all = await loadBenchmarks();
  if (args.help) {
    console.log('npm run bench [-- --quick] [-- --only <name>[,<name>]]\n');
    for (const b of all) console.log(`  ${b.name.padEnd(10)} ${b.about}`);
    return 0;
  }
  const unknown = (args.only ?? []).filter((n) => !all.some((b) => b.name === n));
  if (unknown.length)
    throw new Error(`unknown benchmark(s): ${unknown.join(', ')} (have: ${all.map((b) => b.name).join(', ')})`);
  const selected = args.only ? all.filter((b) => args.only?.includes(b.name)) : all;

  installCleanupHandlers();
  const started = Date.now();
  const details: Record<string, unknown> = {};
  const ctx: BenchContext = {
    quick: args.quick,
    reps: (full, quick) => (args.quick ? quick : full),
    log: (m) => process.stderr.write(`[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${m}\n`),
    details,
    shared: {},
  };

  const lines: BenchLine[] = [];
  const seconds: Record<string, number> = {};
  // The machine is shared: the 1-minute load average around each benchmark says how busy it was.
  const load: Record<string, { before: number; after: number }> = {};
  const load1 = () => Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
  for (const bench of selected) {
    const t0 = Date.now();
    const before = load1();
    ctx.log(`── ${bench.name}: ${bench.about}`);
    try {
      lines.push(...(await bench.run(ctx)));
    } catch (e) {
      ctx.log(`${bench.name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      lines.push(errorLine(bench.name, e));
    }
    seconds[bench.name] = Math.round((Date.now() - t0) / 100) / 10;
    load[bench.name] = { before, after: load1() };
  }
  const { shutdownHashPool } = await import('@/server/services/processes');
  await shutdownHashPool();

  const measuredAt = new Date().toISOString();
  const ran = new Set(selected.map((b) => b.name));
  const stamped = lines.map((l) => ({ ...l, measuredAt }));
  const merged = args.only ? [...readPrevious().filter((l) => !ran.has(l.bench)), ...stamped] : stamped;
  const order = all.map((b) => b.name);
  merged.sort((a, b) => order.indexOf(a.bench) - order.indexOf(b.bench));
  const results = {
    generatedAt: measuredAt,
    flags: { quick: args.quick, only: args.only },
    host: {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? '',
      totalMemoryBytes: os.totalmem(),
      node: process.version,
      platform: `${process.platform} ${os.release()}`,
    },
    seconds,
    loadAverage1m: load,
    totalSeconds: Math.round((Date.now() - started) / 100) / 10,
    summary: summarize(merged),
    lines: merged,
    details,
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);

  const counts = summarize(lines);
  console.log(`\n${formatTable(lines)}\n`);
  const notes = formatNotes(lines);
  if (notes) console.log(`${notes}\n`);
  const loads = Object.entries(load)
    .map(([name, l]) => `${name} ${l.before}→${l.after}`)
    .join(', ');
  console.log(
    `Machine: ${os.availableParallelism()} cores; 1-min load average before→after each benchmark: ${loads}.\n`,
  );
  console.log(
    `bench: ${counts.PASS} pass, ${counts.MISS} miss, ${counts.SKIP} skip, ${counts.INFO} info, ${counts.ERROR} error ` +
      `in ${results.totalSeconds} s; wrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`,
  );
  return counts.ERROR > 0 ? 1 : 0;
}

// Run only as the entry point (the smoke test imports parseArgs).
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main()
    .then((code) => {
      cleanupAll();
      process.exit(code);
    })
    .catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      cleanupAll();
      process.exit(1);
    });
}
