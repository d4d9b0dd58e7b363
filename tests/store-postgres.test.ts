import { afterAll, beforeAll, describe } from 'vitest';
import type { DbHandle } from '@/db';
import { startTempPostgres } from '@/scripts/test/pg-cluster';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { diffStoreSuite } from '@/tests/diff-store-suite';
import { fairQueueSuite } from '@/tests/fair-queue-suite';
import { LOOKUP_ORDER_ENV, lookupOrderSuite } from '@/tests/lookup-order-suite';
import { chartsSuite } from '@/tests/charts-suite';
import { rulesSuite } from '@/tests/rules-suite';
import { storeSuite } from '@/tests/store-suite';

describe('PostgreSQL (node-postgres, DATABASE_URL)', () => {
  let handle: DbHandle;
  let pg: Awaited<ReturnType<typeof startTempPostgres>>;
  beforeAll(async () => {
    Object.assign(process.env, LOOKUP_ORDER_ENV);
    pg = await startTempPostgres();
    handle = await openTestDb({ databaseUrl: pg.url });
  });
  afterAll(async () => {
    await closeTestDb();
    await pg?.stop();
  });

  storeSuite(() => handle);
  diffStoreSuite(() => handle);
  chartsSuite(() => handle);
  rulesSuite(() => handle);
  lookupOrderSuite(() => handle);
  fairQueueSuite(() => handle);
});
