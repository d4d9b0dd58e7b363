import { createColumnHelper } from '@tanstack/react-table';
import type { ProcessRow } from '@/app/_trpc/types';
import { hashColumns } from '../hash-cell';
import { formatPercent } from '@/app/_components/format';
import { type dataTableFeatures, createSearchFilterFn } from '../table-features';
import { Missing, PathText, UntrustedText } from '../untrusted-text';
import { vtColumns } from '../vt-cells';
import { HeuristicBadges, heuristicLabels, integrityColumn, packageColumn } from './analysis-cells';
import { ExeStatusBadge, exeStatusLabel } from './exe-status';

const helper = createColumnHelper<typeof dataTableFeatures, ProcessRow>();

/**
 * Column ids are part of the URL (`sort=memory.desc`, `cols=name,pid,…`): keep them stable.
 * Default columns, in order: Process, PID, User, Memory %, VTScore, Verdict, Executable, MD5, SHA-1,
 * SHA-256; the others are hidden until chosen in the Columns menu.
 */
export const processColumns = helper.columns([
  helper.accessor('name', {
    id: 'name',
    header: 'Process',
    sortFn: 'alphanumeric',
    meta: { label: 'Process', width: 200 },
    cell: (c) => <UntrustedText value={c.getValue()} />,
  }),
  helper.accessor('pid', {
    id: 'pid',
    header: 'PID',
    sortFn: 'basic',
    sortDescFirst: false,
    meta: { label: 'PID', width: 80, align: 'end' },
  }),
  helper.accessor('ppid', {
    id: 'ppid',
    header: 'PPID',
    sortFn: 'basic',
    sortDescFirst: false,
    meta: { label: 'PPID', width: 80, align: 'end', hiddenByDefault: true },
  }),
  helper.accessor('user', {
    id: 'user',
    header: 'User',
    sortFn: 'alphanumeric',
    meta: { label: 'User', width: 110 },
    cell: (c) => <UntrustedText value={c.getValue()} />,
  }),
  helper.accessor((r) => r.effectiveUser ?? undefined, {
    id: 'euser',
    header: 'Effective user',
    sortFn: 'alphanumeric',
    sortUndefined: 'last',
    meta: { label: 'Effective user', width: 110 },
    cell: (c) => {
      const v = c.getValue();
      if (v === undefined) return <Missing />;
      // Same as the real user: shown muted so a setuid row stands out.
      return (
        <UntrustedText value={v} className={v === c.row.original.user ? 'text-muted' : 'font-semibold text-danger'} />
      );
    },
  }),
  helper.accessor((r) => (r.heuristics.length > 0 ? r.heuristics.length : undefined), {
    id: 'heuristics',
    header: 'Heuristics',
    sortFn: 'basic',
    sortDescFirst: true,
    sortUndefined: 'last',
    meta: { label: 'Heuristics', width: 180 },
    cell: (c) => <HeuristicBadges row={c.row.original} />,
  }),
  helper.accessor('state', {
    id: 'state',
    header: 'State',
    sortFn: 'text',
    meta: { label: 'State', width: 64, hiddenByDefault: true },
    cell: (c) => <UntrustedText value={c.getValue()} className="font-mono" />,
  }),
  helper.accessor('memoryPercent', {
    id: 'memory',
    header: 'Memory %',
    sortFn: 'basic',
    sortDescFirst: true,
    meta: { label: 'Memory %', width: 108, align: 'end' },
    cell: (c) => formatPercent(c.getValue()),
  }),
  ...vtColumns(helper),
  helper.accessor('cpuPercent', {
    id: 'cpu',
    header: 'CPU %',
    sortFn: 'basic',
    sortDescFirst: true,
    meta: { label: 'CPU %', width: 88, align: 'end', hiddenByDefault: true },
    cell: (c) => formatPercent(c.getValue()),
  }),
  helper.accessor((r) => r.exePath ?? undefined, {
    id: 'exe',
    header: 'Executable',
    sortFn: 'text',
    sortUndefined: 'last',
    meta: { label: 'Executable', width: 320 },
    cell: (c) => {
      const { exePath, exeStatus, exeError } = c.row.original;
      return (
        <span className="flex min-w-0 items-center gap-1.5">
          {exePath ? <PathText value={exePath} className="flex-1" /> : <Missing />}
          <ExeStatusBadge status={exeStatus} error={exeError} />
        </span>
      );
    },
  }),
  helper.accessor('exeStatus', {
    id: 'exeStatus',
    header: 'Exe status',
    sortFn: 'text',
    meta: { label: 'Exe status', width: 130, hiddenByDefault: true },
    cell: (c) => (
      <span className={c.getValue() === 'ok' ? 'text-muted' : undefined} title={c.row.original.exeError ?? undefined}>
        {exeStatusLabel(c.getValue())}
      </span>
    ),
  }),
  packageColumn(helper, 130),
  integrityColumn(helper),
  ...hashColumns(helper, { md5: 160, sha1: 160, sha256: 200 }),
  helper.accessor('cmdline', {
    id: 'cmdline',
    header: 'Command line',
    sortFn: 'text',
    meta: { label: 'Command line', width: 400, hiddenByDefault: true },
    cell: (c) =>
      c.getValue() ? <UntrustedText value={c.getValue()} className="font-mono text-[12px]" /> : <Missing />,
  }),
]);

export const processesDefaultSort = { id: 'memory', desc: true };

/** The filter box matches name, users, PID, executable path, package, integrity, heuristics and any hash. */
export const processesFilterFn = createSearchFilterFn<ProcessRow>((r) =>
  [
    r.name,
    r.user,
    r.effectiveUser ?? '',
    r.pid,
    r.exePath ?? '',
    r.package ?? '',
    r.integrity ?? '',
    ...heuristicLabels(r),
    r.md5 ?? '',
    r.sha1 ?? '',
    r.sha256 ?? '',
  ].join('\u0000'),
);

export const processRowId = (r: ProcessRow) => String(r.id);
