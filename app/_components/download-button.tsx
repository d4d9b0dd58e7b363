import { Download, FileText } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from './ui/button';

/** A small button that downloads a file; `primary` for the page's main download (its icon differs too). */
export function DownloadButton({
  href,
  title,
  primary = false,
  children,
}: {
  href: string;
  title?: string;
  primary?: boolean;
  children: ReactNode;
}) {
  const Icon = primary ? Download : FileText;
  return (
    <Button asChild size="sm" variant={primary ? 'primary' : 'secondary'}>
      <a href={href} download title={title}>
        <Icon aria-hidden />
        {children}
      </a>
    </Button>
  );
}
