'use client';

import { Columns3 } from 'lucide-react';
import dynamic from 'next/dynamic';
import { forwardRef, useEffect, useState, type ComponentProps } from 'react';
import { Button } from '../ui/button';

export interface ColumnToggle {
  id: string;
  label: string;
  visible: boolean;
}

export interface ColumnMenuProps {
  columns: ColumnToggle[];
  onToggle: (id: string, visible: boolean) => void;
  onReset: () => void;
}

/** The "Columns" button, the same before and after the menu's code has loaded. */
export const ColumnsButton = forwardRef<HTMLButtonElement, ComponentProps<typeof Button>>(
  function ColumnsButton(props, ref) {
    return (
      <Button size="sm" {...props} ref={ref}>
        <Columns3 aria-hidden />
        Columns
      </Button>
    );
  },
);

const loadDropdown = () => import('./column-menu-dropdown').then((m) => m.ColumnMenuDropdown);
// Until the menu's code is here, the button stays on screen (pressed once, it opens when loaded).
const ColumnMenuDropdown = dynamic(loadDropdown, {
  ssr: false,
  loading: () => <ColumnsButton aria-expanded={false} aria-haspopup="menu" aria-busy />,
});

/**
 * The "Columns" menu of a data table. The menu library (a popover positioner among it) is not part
 * of the page's first load: its code is fetched when the browser is idle after the page has loaded,
 * or at the first press of the button, and the menu opens as soon as it is there.
 */
export function ColumnMenu(props: ColumnMenuProps) {
  const [wanted, setWanted] = useState(false);
  useEffect(() => {
    // Not every browser has requestIdleCallback; a timer after the page's own work does the same.
    if (typeof window.requestIdleCallback !== 'function') {
      const t = setTimeout(() => void loadDropdown(), 2000);
      return () => clearTimeout(t);
    }
    const id = window.requestIdleCallback(() => void loadDropdown(), { timeout: 5000 });
    return () => window.cancelIdleCallback(id);
  }, []);
  if (wanted) return <ColumnMenuDropdown {...props} />;
  return <ColumnsButton aria-haspopup="menu" aria-expanded={false} onClick={() => setWanted(true)} />;
}
