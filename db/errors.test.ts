import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { inputDataError } from './errors';

/** What the database answers to values no validation should let through, as drizzle hands it on. */
describe('inputDataError: the last resort for values PostgreSQL refuses', () => {
  const client = new PGlite();
  const db = drizzle(client);
  afterAll(() => client.close());

  const refusal = (q: SQL) =>
    db.execute(q).then(
      () => null,
      (e: unknown) => e,
    );

  it('names the data exceptions a request can cause, as a sentence without the values', async () => {
    const cases: Array<[SQL, string, RegExp]> = [
      [sql`select ${'a\u0000b'}::text`, '22021', /not valid text/],
      [
        sql`select * from jsonb_to_recordset(${JSON.stringify([{ a: 'x\u0000' }])}::jsonb) as x(a text)`,
        '22P05',
        /NUL/,
      ],
      [sql`select ${2 ** 31}::integer`, '22003', /number out of the range/],
      [sql`select ${1e308}::bigint`, '22P02', /cannot read as its type/],
      [sql`select ${'-100000-01-01T00:00:00Z'}::timestamptz`, '22009', /date or time/],
    ];
    for (const [q, code, message] of cases) {
      const e = await refusal(q);
      const found = inputDataError(e);
      expect(found, code).toMatchObject({ code, message: expect.stringMatching(message) });
      expect(found!.message).not.toMatch(/select|2147483648|1e\+308/);
    }
  });

  it('leaves every other error alone', async () => {
    expect(inputDataError(await refusal(sql`select * from no_such_table`))).toBeNull();
    expect(inputDataError(new Error('boom'))).toBeNull();
    expect(inputDataError(null)).toBeNull();
  });
});
