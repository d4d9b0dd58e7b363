import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migratedDataDir, tempDataDir } from '@/tests/helpers';
import { oldScriptWorkbook } from '@/tests/import-fixtures';

/**
 * The CLI as users run it (bin/proclens.mjs → the compiled build in dist/cli), with a loader hook
 * that records every ES module the process loads. The build's chunks.json says which sources each
 * compiled file holds, so "collect loads no VirusTotal code" is checked on what actually ran.
 */
const ROOT = path.resolve('.');
const BIN = path.join(ROOT, 'bin/proclens.mjs');
const TRACE = path.join(ROOT, 'tests/module-trace.mjs');
const MANIFEST = path.join(ROOT, 'dist/cli/manifest.json');

interface Traced {
  code: number;
  stdout: string;
  stderr: string;
  /**
   * Packages loaded, by name (`@electric-sql/pglite`, `xlsx`, …): from node_modules, or bundled
   * into a compiled file that was loaded (build-cli.mjs bundles a few, e.g. zod and drizzle-orm).
   */
  packages: Set<string>;
  /** Project sources inside the compiled files that were loaded (`server/cli/collect.ts`, …). */
  sources: Set<string>;
}

function packageName(file: string): string | null {
  const i = file.lastIndexOf('/node_modules/');
  if (i < 0) return null;
  const [a, b] = file.slice(i + '/node_modules/'.length).split('/');
  return a?.startsWith('@') ? `${a}/${b}` : (a ?? null);
}

function traced(args: string[], dataDir: string): Promise<Traced> {
  const log = path.join(dataDir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', TRACE, BIN, ...args],
      {
        env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'warn', DATA_DIR: dataDir, PROCLENS_TRACE_MODULES: log },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        const urls = fs.existsSync(log)
          ? fs
              .readFileSync(log, 'utf8')
              .split('\n')
              .filter((u) => u.startsWith('file:'))
          : [];
        const files = urls.map((u) => fileURLToPath(u));
        const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as { buildId: string };
        const buildDir = path.join(ROOT, 'dist/cli', manifest.buildId);
        const chunks = JSON.parse(fs.readFileSync(path.join(buildDir, 'chunks.json'), 'utf8')) as Record<
          string,
          string[]
        >;
        const packages = new Set<string>();
        const sources = new Set<string>();
        for (const f of files) {
          const pkg = packageName(f);
          if (pkg) packages.add(pkg);
          else if (f.startsWith(buildDir + path.sep))
            for (const s of chunks[path.relative(buildDir, f)] ?? []) {
              const bundled = packageName(`/${s}`);
              if (bundled) packages.add(bundled);
              else sources.add(s);
            }
          else if (f.startsWith(path.join(ROOT, 'dist/cli')))
            throw new Error(`a file of another build was loaded: ${f}`);
        }
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr, packages, sources });
      },
    );
  });
}

const HEAVY = [
  '@electric-sql/pglite',
  'drizzle-orm',
  'pg',
  'xlsx',
  'systeminformation',
  '@trpc/client',
  'superjson',
  'pino',
];
const vtBeyondUrlCheck = (sources: Set<string>) =>
  [...sources].filter(
    (s) => s.startsWith('server/services/virustotal/') && !/\/(client|report|types|verdict)\.ts$/.test(s),
  );

describe('the compiled CLI loads only what a command uses', () => {
  it('help loads no package and no server module beyond the argument parser', async () => {
    const r = await traced(['--help'], tempDataDir());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Usage: proclens/);
    expect([...r.packages]).toEqual([]);
    // The parser, the commands' declarations and the three pure domain modules they use.
    expect([...r.sources].sort()).toEqual([
      'domain/errors.ts',
      'domain/percent.ts',
      'domain/run-id.ts',
      'server/cli/args.ts',
      'server/cli/commands.ts',
      'server/cli/entry.ts',
      'server/cli/hosted-commands.ts',
      'server/cli/main.ts',
      'server/cli/output.ts',
      'server/cli/spec.ts',
      'server/cli/usage.ts',
    ]);
  });

  it('collect --json --no-store loads neither the database, SheetJS, systeminformation nor the VirusTotal code', async () => {
    const dataDir = tempDataDir();
    const r = await traced(['collect', '--json', '--no-store'], dataDir);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).processes.length).toBeGreaterThan(0);
    expect(HEAVY.filter((p) => r.packages.has(p))).toEqual([]);
    expect([...r.sources].filter((s) => s.startsWith('db/'))).toEqual([]);
    expect(vtBeyondUrlCheck(r.sources)).toEqual([]);
    expect(r.sources.has('server/services/processes/proc-linux.ts')).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);
  });

  it('a stored collect loads PGlite but not SheetJS or the VirusTotal queue; --out loads SheetJS', async () => {
    const dataDir = tempDataDir();
    const stored = await traced(['collect', '--json'], dataDir);
    expect(stored.code, stored.stderr).toBe(0);
    expect(stored.packages.has('@electric-sql/pglite')).toBe(true);
    expect(stored.packages.has('drizzle-orm')).toBe(true);
    expect(stored.packages.has('xlsx')).toBe(false);
    expect(stored.packages.has('systeminformation')).toBe(false);
    expect(vtBeyondUrlCheck(stored.sources)).toEqual([]);

    const out = await traced(['collect', '--no-store', '--out', path.join(dataDir, 'exports')], dataDir);
    expect(out.code, out.stderr).toBe(0);
    expect(out.packages.has('xlsx')).toBe(true);
    expect(out.packages.has('@electric-sql/pglite')).toBe(false);
  }, 180_000);

  it('check loads the VirusTotal modules (the trace sees lazily imported code)', async () => {
    const dataDir = await migratedDataDir();
    const r = await traced(['check', '--latest'], dataDir);
    expect(r.stderr).toMatch(/^proclens: /);
    expect(r.sources.has('server/cli/check.ts')).toBe(true);
    expect(vtBeyondUrlCheck(r.sources).length).toBeGreaterThan(0);
    // SheetJS and the import code come only with --workbook.
    expect(r.packages.has('xlsx')).toBe(false);
    expect([...r.sources].filter((s) => s.startsWith('server/services/imports/'))).toEqual([]);
  }, 180_000);

  it('check --workbook loads SheetJS and the import code', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, 'book.xlsx');
    fs.writeFileSync(file, oldScriptWorkbook());
    const r = await traced(['check', '--workbook', file], dataDir);
    // No VirusTotal key here: the import happens, then the check stops with a sentence.
    expect(r.stderr).toMatch(/imported .*book\.xlsx as run 1/);
    expect(r.stderr).toMatch(/No VirusTotal API key is set/);
    expect(r.packages.has('xlsx')).toBe(true);
    expect(r.sources.has('server/services/imports/read-workbook.ts')).toBe(true);
  }, 180_000);
});

describe('the compiled CLI stays current', () => {
  it('rebuilds after a source edit, once', async () => {
    const dataDir = tempDataDir();
    const buildId = () => (JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as { buildId: string }).buildId;
    expect((await traced(['--help'], dataDir)).code).toBe(0);
    const before = buildId();
    // An edit as an editor makes it: the file's mtime moves past the build's. It moves back at
    // once, so a dashboard server starting beside this test (npm start checks mtimes too) does not
    // take it for an edit and rebuild.
    const source = path.join(ROOT, 'server/cli/args.ts');
    const was = fs.statSync(source);
    const now = new Date();
    fs.utimesSync(source, now, now);
    let r;
    try {
      r = await traced(['--help'], dataDir);
    } finally {
      fs.utimesSync(source, was.atime, was.mtime);
    }
    expect(r.code, r.stderr).toBe(0);
    const after = buildId();
    expect(after).not.toBe(before);
    expect((await traced(['--help'], dataDir)).code).toBe(0);
    expect(buildId()).toBe(after);
  });
});
