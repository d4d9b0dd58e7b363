import { getTableColumns, sql } from 'drizzle-orm';
import { PROCESS_FACTS, type ProcessRecord, type ProcessView } from '@/domain/process';
import type { Db } from '../index';
import { runProcesses } from '../schema';

/**
 * The one mapping between a process (domain/process.ts) and its `run_processes` row. A field keeps
 * its name as a column unless listed here; the hashes live in `executables`, the row keeps the
 * SHA-256. A new field needs no entry when its column has its name.
 */
const COLUMN_OF = { startedAt: 'processStartedAt', exe: 'exePath' } as const;

type Fact = (typeof PROCESS_FACTS)[number];
type ColumnOf<F extends Fact> = F extends keyof typeof COLUMN_OF ? (typeof COLUMN_OF)[F] : F;
const columnOf = (f: Fact): string => (COLUMN_OF as Partial<Record<Fact, string>>)[f] ?? f;

type StoredRow = typeof runProcesses.$inferSelect;

/** A process row as it is stored. */
export type ProcessRowInput = Omit<StoredRow, 'id' | 'runId' | 'unresolvedMd5'> & {
  /** An imported process known only by its MD5 (then `sha256` is null). */
  unresolvedMd5?: string | null;
};

// Every process field has a column of its type: a compile error here names the one that has none.
type Unmapped = {
  [F in Fact]: ColumnOf<F> extends keyof ProcessRowInput
    ? ProcessRecord[F] extends ProcessRowInput[ColumnOf<F> & keyof ProcessRowInput]
      ? never
      : F
    : F;
}[Fact];
const everyFieldHasItsColumn: [Unmapped] extends [never] ? true : Unmapped = true;
void everyFieldHasItsColumn;

/** The row of a process of a run; `unresolvedMd5` only for an imported MD5 without its executable. */
export function processRow(
  p: Omit<ProcessRecord, 'hashes'>,
  sha256: string | null,
  unresolvedMd5?: string | null,
): ProcessRowInput {
  const row: Record<string, unknown> = {};
  for (const f of PROCESS_FACTS) row[columnOf(f)] = p[f];
  row.sha256 = sha256;
  if (unresolvedMd5 !== undefined) row.unresolvedMd5 = unresolvedMd5;
  return row as ProcessRowInput;
}

/** A stored row (with its executable's hashes joined) as the process it records. */
export function processFromRow(
  r: Omit<ProcessRowInput, 'sha256'> & Pick<ProcessView, 'md5' | 'sha1' | 'sha256'>,
): ProcessView {
  const view: Record<string, unknown> = {};
  for (const f of PROCESS_FACTS) view[f] = r[columnOf(f) as keyof typeof r];
  view.md5 = r.md5;
  view.sha1 = r.sha1;
  view.sha256 = r.sha256;
  return view as ProcessView;
}

const { id: _id, runId: _runId, ...storedColumns } = getTableColumns(runProcesses);

/** Every stored column of a process (for a select), by its field name. */
export const processColumns = storedColumns;

/** Some of a process's columns (for a select that needs only those). */
export function processColumnsOf<K extends keyof typeof storedColumns>(keys: readonly K[]) {
  return Object.fromEntries(keys.map((k) => [k, storedColumns[k]])) as Pick<typeof storedColumns, K>;
}

/** Every column of a process row, in the order they are stored. */
const STORED_FIELDS = Object.keys(storedColumns) as Array<keyof typeof storedColumns>;

/**
 * JSON.stringify writes NaN and ±Infinity as null; PostgreSQL reads them back from their names.
 * A lone UTF-16 surrogate (possible in a pushed snapshot) would be rejected by jsonb; as a plain
 * text parameter it became U+FFFD, and here too.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
function jsonSafe(_key: string, v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'string') return v.replace(LONE_SURROGATE, '\uFFFD');
  return v;
}

/**
 * A run's processes in one statement whose one parameter is a JSON array of the rows: a multi-row
 * VALUES with ~19 parameters per row cost more to build (in the query builder) and to bind (in
 * PGlite) than the rows themselves. Ids follow the array's order, as VALUES did.
 */
export async function insertProcessRows(db: Db, runId: number, rows: ProcessRowInput[]): Promise<void> {
  const cols = STORED_FIELDS.map((field) => storedColumns[field]);
  const target = sql.join(
    cols.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  const fields = sql.join(
    STORED_FIELDS.map((f) => sql.identifier(f)),
    sql`, `,
  );
  const definitions = sql.join(
    STORED_FIELDS.map((f, i) => sql`${sql.identifier(f)} ${sql.raw(cols[i]!.getSQLType())}`),
    sql`, `,
  );
  await db.execute(sql`
    insert into ${runProcesses} (${sql.identifier(runProcesses.runId.name)}, ${target})
    select ${runId}::integer, ${fields}
      from rows from (jsonb_to_recordset(${JSON.stringify(rows, jsonSafe)}::jsonb) as (${definitions}))
           with ordinality as x(${fields}, ord)
     order by ord`);
}
