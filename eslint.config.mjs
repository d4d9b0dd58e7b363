import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

/**
 * Next's rules (core web vitals, react-hooks) and typescript-eslint's recommended set, plus the
 * layer rules of docs/architecture.md: which folder may import which. A finding
 * fails `npm run lint` and `npm test` (warnings included: --max-warnings 0).
 */

const TEST_FILES = ['**/*.test.ts', 'tests/**', 'e2e/**', 'scripts/test/**', 'scripts/bench/**'];

/** `@typescript-eslint/no-restricted-imports` with one message per group of forbidden paths. */
const forbid = (...groups) => ['error', { patterns: groups }];
/** A layer's folders as import patterns: `@/db` and everything under it. */
const layers = (...names) => names.flatMap((n) => [`@/${n}`, `@/${n}/**`]);

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  globalIgnores([
    '.next/**',
    'dist/**',
    'node_modules/**',
    'data/**',
    '.test-artifacts/**',
    'test-results/**',
    'playwright-report/**',
    'blob-report/**',
    'next-env.d.ts',
    'db/migrations/**',
  ]),

  {
    rules: {
      // Findings are errors: nothing is left as a warning that nobody reads.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },

  // ---- the layers: dependencies point one way -----------------------------------------------
  {
    // The layer-neutral module: shared domain types and pure rules; it imports none of the layers.
    files: ['domain/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid({
        group: [
          ...layers('app', 'server', 'db', 'lib'),
          '@/tests/**',
          '@/e2e/**',
          '../**',
          'server-only',
          'react',
          'next',
          'next/**',
        ],
        message:
          'domain/ is layer-neutral: it imports nothing of app/, server/, db/, lib/ (nor React, Next or server-only).',
      }),
    },
  },
  {
    // The process-wide foundations below the database: configuration, the logger, singletons.
    files: ['lib/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid({
        group: [...layers('app', 'server', 'db'), '**/server/**', '**/db/**', 'react', 'next', 'next/**'],
        message: 'lib/ sits below db/: it imports only domain/ and packages.',
      }),
    },
  },
  {
    // The database layer: schema and queries. It never reaches up into services, routers or React.
    files: ['db/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid({
        group: [
          '@/server/services/**',
          '@/server/api/**',
          '@/server/cli/**',
          '@/app/**',
          '**/server/services/**',
          '**/server/api/**',
          '**/app/**',
        ],
        message: 'db/ sits below the services and the API: move shared types into domain/.',
      }),
    },
  },
  {
    // Services know no transport (no tRPC, no HTTP routes, no React).
    files: ['server/services/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid({
        group: ['@/server/api/**', '@/server/cli/**', '@/app/**', '@trpc/**', 'next', 'next/**', 'react', 'react-dom'],
        message: 'Services know no transport: they take plain arguments and throw typed errors.',
      }),
    },
  },
  {
    // Routers validate input, call a service or a query, and return: no SQL, no files, no network.
    files: ['server/api/routers/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid(
        {
          group: [
            'drizzle-orm',
            'drizzle-orm/**',
            '@/db/schema',
            'node:fs',
            'node:fs/**',
            'fs',
            'pg',
            '@electric-sql/**',
          ],
          message: 'Routers never touch SQL or files: call a service or a db/queries function.',
        },
        { group: ['./*'], message: 'Routers do not import each other: shared inputs live in server/api/inputs.ts.' },
      ),
    },
  },
  {
    // React code (pages, components, the tRPC client) never imports a server module. Route
    // handlers under app/api/ are server code; app/_trpc/types.ts is the one type-only door, and
    // app/_trpc/server.tsx (server-only) the one door through which server components call
    // procedures in-process.
    files: ['app/**'],
    ignores: ['app/api/**', 'app/_trpc/types.ts', 'app/_trpc/server.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid({
        group: ['@/server', '@/server/**', '@/db', '@/db/**', '**/server/**', '**/db/**', 'server-only'],
        message: 'React code never imports a server module; server types come through app/_trpc/types.ts.',
      }),
    },
  },
  {
    files: ['app/_trpc/types.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid(
        {
          group: ['@/server/**'],
          allowTypeImports: true,
          message: 'app/_trpc/types.ts imports server types only (import type).',
        },
        { group: ['@/db', '@/db/**'], message: 'UI types come from RouterOutputs, not from the database schema.' },
      ),
    },
  },
  {
    // Test data and the fake VirusTotal never ship in production code.
    files: ['app/**', 'server/**', 'db/**', 'domain/**', 'lib/**'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@/tests/**', '@/e2e/**', '**/tests/**', '**/e2e/**'],
              message: 'Production code does not import test helpers or fixtures.',
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures take a callback named `use`; it is not React's hook.
    files: ['e2e/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
]);
