import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: {
    alias: [
      { find: /^server-only$/, replacement: path.join(root, 'scripts/test/empty-module.ts') },
      { find: /^@\//, replacement: `${root}/` },
    ],
  },
  test: {
    include: ['{server,db,app,domain,lib,scripts}/**/*.test.ts', 'tests/**/*.test.ts', 'e2e/fake-vt/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { LOG_LEVEL: 'error' },
  },
});
