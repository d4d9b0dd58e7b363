// Whether the production build in .next is the build of these sources (scripts/test/run.mjs).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { root } from './children.mjs';

// A content hash of everything `next build` reads (sources, configs, lockfile, .env files — tests
// too, since the build type-checks the whole project) plus NEXT_* env. The stamp also records the
// BUILD_ID it belongs to, so a build made by anything else (start.mjs, a developer) is never trusted.
const SKIP_DIRS = new Set([
  'node_modules',
  '.next',
  'dist',
  '.git',
  'data',
  '.test-artifacts',
  'test-results',
  'playwright-report',
  'blob-report',
]);
const SKIP_FILES = /^(next-env\.d\.ts|.*\.tsbuildinfo|bench-results\.json)$/;

export function sourceFingerprint() {
  const hash = crypto.createHash('sha256');
  const walk = (dir) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(full);
      } else if (e.isFile() && !SKIP_FILES.test(e.name)) {
        hash
          .update(`${path.relative(root, full)}\0`)
          .update(fs.readFileSync(full))
          .update('\0');
      }
    }
  };
  walk(root);
  const nextEnv = Object.keys(process.env)
    .filter((k) => k.startsWith('NEXT_') || k === 'NODE_ENV')
    .sort();
  for (const k of nextEnv) hash.update(`${k}=${process.env[k]}\0`);
  return hash.digest('hex');
}

export function currentBuildId() {
  try {
    return fs.readFileSync(path.join(root, '.next', 'BUILD_ID'), 'utf8').trim();
  } catch {
    return null;
  }
}
