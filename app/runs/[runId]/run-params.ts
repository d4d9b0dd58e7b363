import { flagParam } from '@/app/_components/tables/processes/flag-filter';
import { untriagedParam } from '@/app/_components/triage/triage-param';
import {
  enumParam,
  optionalEnumParam,
  textParam,
  type TableParams,
  type UrlParam,
} from '@/app/_components/url/url-params';
import { DIFF_KINDS, parseDiffAgainst, type DiffAgainst } from '@/domain/run-diff';

export const RUN_VIEWS = ['processes', 'executables', 'diff'] as const;

/**
 * `against`: `previous` (absent), `baseline` or a run id. A value that names none of them reads
 * as null, and the Diff view says so.
 */
const againstParam: UrlParam<DiffAgainst | null> = {
  key: 'against',
  parse: parseDiffAgainst,
  format: (v) => (v === null || v === 'previous' ? null : String(v)),
};

/** The filter text, shared by the page's tables. */
const filter = textParam('q');

/**
 * The run page's URL (e2e tests and shared links rely on it):
 * - `view`          `executables`, `diff`, or absent for Processes
 * - `q`             filter text, shared by the tables
 * - `sort`, `cols`  Processes: `sort=<id>.<asc|desc>` (default `memory.desc`), `cols=<visible ids>`
 * - `xsort`, `xcols` Executables: same format (default `vtScore.desc`); `dsort`, `dcols` the Diff table's
 *                   (column ids in table-url-codec.ts)
 * - `flag`          the process table's badge filter (flag-filter.ts)
 * - `triage`        `untriaged`: the tables show only rows "Untriaged with VTScore ≥ 1"
 * - `against`       what the Diff compares with; `dkind` `new|gone|changed` narrows its table
 */
export const runParams = {
  view: enumParam('view', RUN_VIEWS, 'processes'),
  filter,
  flag: flagParam,
  triage: untriagedParam,
  against: againstParam,
  diffKind: optionalEnumParam('dkind', DIFF_KINDS),
  processesTable: { sort: 'sort', cols: 'cols', filter: filter.key } satisfies TableParams,
  executablesTable: { sort: 'xsort', cols: 'xcols', filter: filter.key } satisfies TableParams,
  diffTable: { sort: 'dsort', cols: 'dcols', filter: filter.key } satisfies TableParams,
} as const;

export type RunViewName = (typeof RUN_VIEWS)[number];
