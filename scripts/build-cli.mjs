// Compiles the CLI (server/cli/entry.ts and the server modules it reaches) ahead of time into plain
// JavaScript under dist/cli/, so `proclens` starts as one Node process with nothing to transpile.
// Runs from `npm install`/`npm ci` (the package's `prepare`) and from bin/proclens.mjs when a source
// is newer than the build. Each build goes to its own folder and a manifest is swapped in atomically,
// so two CLIs rebuilding at once, or one running while another rebuilds, never see half a build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_DIST = path.join(root, 'dist', 'cli');
export const MANIFEST = path.join(CLI_DIST, 'manifest.json');
/** Files outside the import graph that still change what the build produces. */
const EXTRA_INPUTS = ['package-lock.json', 'tsconfig.json', 'scripts/build-cli.mjs'];
const KEEP_OLD_BUILDS_MS = 60 * 60 * 1000;

/**
 * Bundled instead of loaded from node_modules: pure-JS packages whose many small modules Node
 * would otherwise resolve and compile one by one (drizzle-orm: ~100 modules, 0.1–0.2 s of every
 * command that opens the database).
 */
const BUNDLED = ['zod', 'drizzle-orm'];

/**
 * Packages stay external (Node loads them from node_modules when a command imports them), except
 * `server-only`, which is resolved with the react-server condition like the server does: its empty
 * module, and BUNDLED. `@/…` is the project's own path alias and gets bundled.
 */
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@/') || args.path === 'server-only') return undefined;
      if (BUNDLED.some((p) => args.path === p || args.path.startsWith(`${p}/`))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * zod's `z` namespace re-exports its ~65 message translations, which a bundler cannot drop and Node
 * would load file by file (zod was then the biggest part of every command's start-up). The CLI
 * speaks English: the namespace keeps zod's own English messages (imported directly) and its
 * `locales` export is empty.
 */
const zodWithoutTranslations = {
  name: 'zod-without-translations',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? { path: 'zod-locales', namespace: 'empty' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * Worker threads' entries, each compiled on its own beside the chunks. The module that starts one
 * (`startedBy`) writes `new Worker(new URL('./<name>.ts', import.meta.url))`, the form Next's
 * Turbopack compiles; esbuild leaves such a URL alone, so this points it at the compiled file.
 * The starting module must land in a chunk too (checked after the build), so the URL stays relative.
 */
const WORKERS = [
  { entry: 'server/services/processes/hash-worker.ts', startedBy: 'server/services/processes/hash-pool.ts' },
];

const workerUrls = {
  name: 'worker-urls',
  setup(build) {
    for (const w of WORKERS) {
      const name = path.basename(w.entry, '.ts');
      const from = `new URL('./${name}.ts', import.meta.url)`;
      const file = path.join(root, w.startedBy);
      build.onLoad({ filter: new RegExp(`/${path.basename(file).replaceAll('.', '\\.')}$`) }, async (args) => {
        if (args.path !== file) return undefined;
        const source = await fs.promises.readFile(file, 'utf8');
        if (source.split(from).length !== 2) throw new Error(`${w.startedBy} must hold ${from} exactly once`);
        return { contents: source.replace(from, `new URL('./${name}.mjs', import.meta.url)`), loader: 'ts' };
      });
    }
  },
};

/** Throws unless each worker's starting module and its entry were written to the same folder. */
function checkWorkerLayout(outputs) {
  for (const w of WORKERS) {
    const dirOf = (source) =>
      Object.entries(outputs)
        .filter(([, o]) => source in o.inputs)
        .map(([out]) => path.dirname(out));
    const [started, entry] = [dirOf(w.startedBy), dirOf(w.entry)];
    if (started.length !== 1 || entry.length !== 1 || started[0] !== entry[0])
      throw new Error(`${w.startedBy} and its worker ${w.entry} were not compiled into one folder`);
  }
}

export async function buildCli() {
  const { build } = await import('esbuild');
  const startedAt = Date.now();
  const buildId = `${startedAt.toString(36)}-${process.pid}`;
  const outdir = path.join(CLI_DIST, buildId);
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      entry: 'server/cli/entry.ts',
      ...Object.fromEntries(WORKERS.map((w) => [`chunks/${path.basename(w.entry, '.ts')}`, w.entry])),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    conditions: ['react-server'],
    tsconfig: path.join(root, 'tsconfig.json'),
    plugins: [externalPackages, zodWithoutTranslations, workerUrls],
    metafile: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  checkWorkerLayout(result.metafile.outputs);
  const inputs = [
    // Project files only: packages change with package-lock.json, and a plugin's virtual module
    // (`empty:…`) is no file to stat.
    ...Object.keys(result.metafile.inputs).filter((p) => !p.startsWith('node_modules/') && !p.includes(':')),
    ...EXTRA_INPUTS,
  ];
  // Which sources each output file holds: tests use it to check what a command loads.
  const chunks = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([out, o]) => [
      path.relative(outdir, path.join(root, out)),
      Object.keys(o.inputs),
    ]),
  );
  fs.writeFileSync(path.join(outdir, 'chunks.json'), JSON.stringify(chunks));
  const manifest = { buildId, entry: `${buildId}/entry.mjs`, builtAt: startedAt, inputs };
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(manifest));
  fs.renameSync(tmp, MANIFEST);
  removeOldBuilds(buildId);
  return manifest;
}

/** Earlier builds may still be in use by a long-running `proclens worker`: keep the recent ones. */
function removeOldBuilds(current) {
  for (const e of fs.readdirSync(CLI_DIST, { withFileTypes: true })) {
    if (!e.isDirectory() || e.name === current) continue;
    const dir = path.join(CLI_DIST, e.name);
    try {
      if (Date.now() - fs.statSync(dir).mtimeMs > KEEP_OLD_BUILDS_MS) fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const m = await buildCli();
    console.error(`proclens: CLI built (${m.inputs.length} sources) into dist/cli/${m.buildId}`);
  } catch (e) {
    console.error(`proclens: building the CLI failed: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
