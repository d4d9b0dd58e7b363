import type { ComponentProps, ReactNode } from 'react';
import { Card } from './card';
import { cn } from './cn';

/**
 * A plain table in a card, for the short lists (run history, hosts, prevalence, tokens). The run
 * page's large tables are DataTable (tables/data-table.tsx): virtualized, sortable, in the URL.
 * Cells are many: their class names are fixed strings, merged only when a caller adds classes.
 */
type Align = 'start' | 'end';

const HEAD_CELL = {
  start: 'px-3 py-2 text-left text-xs font-medium text-muted',
  end: 'px-3 py-2 text-right text-xs font-medium text-muted',
};
const CELL = { start: 'px-3 py-2', end: 'px-3 py-2 text-right' };
const ROW = {
  hover: 'border-b border-border last:border-0 hover:bg-surface-2',
  still: 'border-b border-border last:border-0',
};

const merge = (base: string, className: string | undefined) => (className ? cn(base, className) : base);

/** HTML's own `align` attribute is obsolete, so the name is ours: `end` for numbers. */
type CellProps<Tag extends 'th' | 'td'> = Omit<ComponentProps<Tag>, 'align'> & { align?: Align };

export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <Card className="overflow-x-auto">
      <table className={merge('w-full text-[13px]', className)} {...props} />
    </Card>
  );
}

/** The header row; its cells are TableHead. */
export function TableHeader({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-border bg-surface-2">
      <tr>{children}</tr>
    </thead>
  );
}

export function TableHead({ align = 'start', className, ...props }: CellProps<'th'>) {
  return <th className={merge(HEAD_CELL[align], className)} {...props} />;
}

export function TableBody(props: ComponentProps<'tbody'>) {
  return <tbody {...props} />;
}

/** `hover`: the row lights up under the pointer (off for rows that hold controls of their own). */
export function TableRow({ hover = true, className, ...props }: ComponentProps<'tr'> & { hover?: boolean }) {
  return <tr className={merge(hover ? ROW.hover : ROW.still, className)} {...props} />;
}

export function TableCell({ align = 'start', className, ...props }: CellProps<'td'>) {
  return <td className={merge(CELL[align], className)} {...props} />;
}
