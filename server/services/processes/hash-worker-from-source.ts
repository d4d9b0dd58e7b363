import 'server-only';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';

/**
 * The hash worker when ProcLens runs from its TypeScript sources (Vitest, tsx scripts such as the
 * bench): Node 20 cannot load a .ts entry in a worker thread (tsx registers its hooks in the main
 * thread only), so hash-worker.ts is compiled in memory, once per process, and evaluated.
 * Built code (Next, the CLI bundle) starts its compiled worker file instead (hash-pool.ts).
 */

/**
 * True for a module URL of a TypeScript source run as such. Next compiles the server but keeps
 * the source's URL in `import.meta.url`; it sets NEXT_RUNTIME.
 */
export const runsFromSource = (moduleUrl: string): boolean => moduleUrl.endsWith('.ts') && !process.env.NEXT_RUNTIME;

let compiled: string | null = null;

/** The worker as one CommonJS script for `new Worker(source, { eval: true })`. */
export function hashWorkerFromSource(): string {
  if (compiled !== null) return compiled;
  // Loaded here only: esbuild is a build tool, never part of what the server or the CLI loads.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
  const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), 'hash-worker.ts');
  const out = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
  });
  compiled = out.outputFiles[0]?.text ?? '';
  return compiled;
}
