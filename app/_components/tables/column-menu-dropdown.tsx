'use client';

import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { Check } from 'lucide-react';
import { ColumnsButton, type ColumnMenuProps } from './column-menu';

const item =
  'flex cursor-default items-center gap-2 rounded px-2 py-1.5 text-[13px] outline-none select-none data-[disabled]:opacity-50 data-[highlighted]:bg-surface-2';

/**
 * "Columns" menu: one checkbox per column, plus a reset to the default set. Loaded when first
 * opened (see column-menu.tsx), and then open at once.
 */
export function ColumnMenuDropdown({ columns, onToggle, onReset }: ColumnMenuProps) {
  const visibleCount = columns.filter((c) => c.visible).length;
  return (
    <DropdownMenu.Root defaultOpen>
      <DropdownMenu.Trigger asChild>
        <ColumnsButton />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={4}
          className="z-50 min-w-52 rounded-md border border-border bg-surface p-1 text-fg shadow-lg"
        >
          <DropdownMenu.Label className="px-2 py-1 text-xs font-medium text-muted">Show columns</DropdownMenu.Label>
          {columns.map((c) => (
            <DropdownMenu.CheckboxItem
              key={c.id}
              className={item}
              checked={c.visible}
              // The last visible column stays: a table without columns helps nobody.
              disabled={c.visible && visibleCount === 1}
              onCheckedChange={(v) => onToggle(c.id, v === true)}
              onSelect={(e) => e.preventDefault()}
            >
              <span className="flex size-4 items-center justify-center">
                <DropdownMenu.ItemIndicator>
                  <Check className="size-3.5" aria-hidden />
                </DropdownMenu.ItemIndicator>
              </span>
              {c.label}
            </DropdownMenu.CheckboxItem>
          ))}
          <DropdownMenu.Separator className="my-1 h-px bg-border" />
          <DropdownMenu.Item className={item} onSelect={onReset}>
            <span className="size-4" aria-hidden />
            Reset to default columns
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
