import { afterAll, beforeAll } from 'vitest';
import type { DbHandle } from '@/db';
import { closeTestDb, openTestDb } from '@/tests/helpers';
import { fairQueueSuite } from '@/tests/fair-queue-suite';
import { LOOKUP_ORDER_ENV } from '@/tests/lookup-order-suite';

/** The fair queue on PGlite; tests/store-postgres.test.ts runs the same suite on PostgreSQL. */
let handle: DbHandle;

beforeAll(async () => {
  Object.assign(process.env, LOOKUP_ORDER_ENV);
  handle = await openTestDb();
});
afterAll(() => closeTestDb());

fairQueueSuite(() => handle);
