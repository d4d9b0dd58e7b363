import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.mjs, checked on code that breaks them: a rule that silently
 * stopped matching (a moved folder, a renamed alias) would otherwise let the layers tangle again.
 */
const root = path.resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-imports')
    .map((m) => m.message);
}

describe('layer rules (ESLint)', () => {
  it('lib/ (env, logger, singletons) imports nothing of db/, server/ or app/', async () => {
    const found = await restrictedImports(
      'lib/probe.ts',
      "import { getDb } from '@/db';\nimport { appRouter } from '@/server/api/root';\nexport const x = [getDb, appRouter];\n",
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('lib/ sits below db/');
  });

  it('db/ imports nothing from server/services/', async () => {
    const found = await restrictedImports(
      'db/queries/probe.ts',
      "import { startCollection } from '@/server/services/runs';\nimport type { HostFacts } from '../../server/services/processes/types';\nexport const x = startCollection;\nexport type Y = HostFacts;\n",
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('db/ sits below the services');
  });

  it('domain/ imports none of the layers', async () => {
    const found = await restrictedImports(
      'domain/probe.ts',
      "import { getEnv } from '@/lib/env';\nimport { getDb } from '@/db';\nexport const x = [getEnv, getDb];\n",
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toContain('layer-neutral');
  });

  it('React code imports no server module, not even a type, except through app/_trpc/types.ts', async () => {
    const found = await restrictedImports(
      'app/_components/probe.tsx',
      "import type { AppRouter } from '@/server/api/root';\nimport { getDb } from '@/db';\nexport type X = AppRouter;\nexport const y = getDb;\n",
    );
    expect(found).toHaveLength(2);
    expect(
      await restrictedImports(
        'app/_trpc/types.ts',
        "import type { AppRouter } from '@/server/api/root';\nexport type { AppRouter };\n",
      ),
    ).toEqual([]);
    expect(
      await restrictedImports(
        'app/_trpc/types.ts',
        "import { appRouter } from '@/server/api/root';\nexport const r = appRouter;\n",
      ),
    ).toHaveLength(1);
  });

  it('routers touch no SQL and import no other router; services know no transport; production code imports no test data', async () => {
    expect(
      await restrictedImports(
        'server/api/routers/probe.ts',
        "import { eq } from 'drizzle-orm';\nimport { runsRouter } from './runs';\nexport const x = [eq, runsRouter];\n",
      ),
    ).toHaveLength(2);
    expect(
      await restrictedImports(
        'server/services/runs/probe.ts',
        "import { TRPCError } from '@trpc/server';\nimport { HOSTILE } from '@/tests/export-fixture';\nexport const x = [TRPCError, HOSTILE];\n",
      ),
    ).toHaveLength(2);
  });
});
