import type { ColumnHelper } from '@tanstack/react-table';
import { CopyButton } from './copy-button';
import type { DataTableFeatures } from './table-features';
import { Missing } from './untrusted-text';

/** A hex digest: monospace, clipped with the full value as tooltip, and a copy button. */
export function HashCell({ value, label }: { value: string | null | undefined; label: string }) {
  if (!value) return <Missing />;
  return (
    <span className="flex min-w-0 items-center gap-1">
      <span className="min-w-0 truncate font-mono text-[12px]" title={value}>
        {value}
      </span>
      <CopyButton value={value} label={label} />
    </span>
  );
}

export const HASH_KINDS = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
} as const;

export type HashKind = keyof typeof HASH_KINDS;

type HashFields = { [K in HashKind]: string | null };

/**
 * One hash column (id = the field name, part of the URL): sortable, rows without a hash last. The
 * process and executable tables both build theirs from here; only their widths differ.
 */
export function hashColumn<T extends HashFields>(
  helper: ColumnHelper<DataTableFeatures, T>,
  kind: HashKind,
  width: number,
) {
  const label = HASH_KINDS[kind];
  return helper.accessor((r) => r[kind] ?? undefined, {
    id: kind,
    header: label,
    sortFn: 'basic',
    sortUndefined: 'last',
    meta: { label, width },
    cell: (c) => <HashCell value={c.getValue()} label={label} />,
  });
}

/** MD5, SHA-1 and SHA-256, in that order. */
export function hashColumns<T extends HashFields>(
  helper: ColumnHelper<DataTableFeatures, T>,
  widths: Record<HashKind, number>,
) {
  return [
    hashColumn(helper, 'md5', widths.md5),
    hashColumn(helper, 'sha1', widths.sha1),
    hashColumn(helper, 'sha256', widths.sha256),
  ];
}
