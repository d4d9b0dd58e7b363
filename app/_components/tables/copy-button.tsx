'use client';

import { Check, Copy } from 'lucide-react';
import { useEffect, useState } from 'react';
import { cn } from '../ui/cn';

async function writeClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No async clipboard outside secure contexts (plain http to a remote host): the old way.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

const BUTTON_CLASS =
  'inline-flex size-5 shrink-0 items-center justify-center rounded text-muted opacity-0 transition-opacity hover:bg-surface hover:text-fg focus-visible:opacity-100 group-hover:opacity-100 [&_svg]:size-3.5';
// Hoisted: the same element every render, so React leaves the icons of a re-rendered row alone.
const COPY_ICON = <Copy aria-hidden />;
const COPIED_ICON = <Check aria-hidden />;

/**
 * An icon button that copies `value`; its accessible name is "Copy <label>". "Copied" belongs to
 * the value that was copied: a table row that shows another value in place reads "Copy" again,
 * without remounting the button.
 */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const [copiedValue, setCopiedValue] = useState<string | null>(null);
  const copied = copiedValue === value;
  useEffect(() => {
    if (copiedValue === null) return;
    const t = setTimeout(() => setCopiedValue(null), 1500);
    return () => clearTimeout(t);
  }, [copiedValue]);
  return (
    <button
      type="button"
      aria-label={copied ? `Copied ${label}` : `Copy ${label}`}
      title={copied ? 'Copied' : `Copy ${label}`}
      onClick={async (e) => {
        e.stopPropagation();
        if (await writeClipboard(value)) setCopiedValue(value);
      }}
      className={copied || className ? cn(BUTTON_CLASS, copied && 'text-ok opacity-100', className) : BUTTON_CLASS}
    >
      {copied ? COPIED_ICON : COPY_ICON}
    </button>
  );
}
