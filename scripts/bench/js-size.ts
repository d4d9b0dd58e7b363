import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/**
 * First-load JS of an App Router route, from what `next build` (Next 16, Turbopack) writes:
 * - `.next/build-manifest.json` `rootMainFiles`: the runtime and framework chunks every page loads
 *   (`polyfillFiles` are `nomodule` scripts a modern browser skips, so they are left out);
 * - `.next/server/app/<route>/page_client-reference-manifest.js` `entryJSFiles`: the client chunks
 *   of each segment on the route (layout, page, error and not-found boundaries).
 * Each distinct file is gzipped (level 9, as Next's own size report does) and summed.
 */
export interface RouteJs {
  route: string;
  files: Array<{ file: string; bytes: number; gzip: number }>;
  bytes: number;
  gzip: number;
}

interface ClientReferenceManifest {
  entryJSFiles?: Record<string, string[]>;
}

export function gzipSize(buffer: Buffer): number {
  return zlib.gzipSync(buffer, { level: 9 }).length;
}

function readClientManifest(nextDir: string, route: string): ClientReferenceManifest {
  const segment = route === '/' ? '' : route.replace(/^\//, '');
  const file = path.join(nextDir, 'server', 'app', segment, 'page_client-reference-manifest.js');
  const sandbox: { __RSC_MANIFEST?: Record<string, ClientReferenceManifest> } = {};
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox, { filename: file, timeout: 5_000 });
  const key = route === '/' ? '/page' : `${route}/page`;
  const manifest = sandbox.__RSC_MANIFEST?.[key];
  if (!manifest) throw new Error(`${file} has no entry for ${key}`);
  return manifest;
}

export function rootMainFiles(nextDir: string): string[] {
  const build = JSON.parse(fs.readFileSync(path.join(nextDir, 'build-manifest.json'), 'utf8')) as {
    rootMainFiles?: string[];
  };
  return build.rootMainFiles ?? [];
}

export function routeFirstLoadJs(nextDir: string, route: string): RouteJs {
  const manifest = readClientManifest(nextDir, route);
  const names = new Set<string>(rootMainFiles(nextDir));
  for (const chunks of Object.values(manifest.entryJSFiles ?? {}))
    for (const c of chunks) if (c.endsWith('.js')) names.add(c);
  const files = [...names].map((file) => {
    const buffer = fs.readFileSync(path.join(nextDir, file));
    return { file, bytes: buffer.length, gzip: gzipSize(buffer) };
  });
  return {
    route,
    files,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    gzip: files.reduce((s, f) => s + f.gzip, 0),
  };
}
