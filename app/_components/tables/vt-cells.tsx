import { ExternalLink } from 'lucide-react';
import type { RowVt } from '@/app/_trpc/types';
import { detectionsText, vtScoreOf } from '../vt-format';
import { Missing, UntrustedText } from './untrusted-text';

/** VirusTotal cells shared by the process and executable tables. */

export function VtScoreCell({ vt }: { vt: RowVt }) {
  const score = vtScoreOf(vt);
  if (score === undefined) return <Missing />;
  return <span className={score > 0 ? 'font-semibold' : undefined}>{score}</span>;
}

export function DetectionsCell({ vt }: { vt: RowVt }) {
  const text = detectionsText(vt);
  if (text === null) return <Missing />;
  return <span title="Engines that call the file malicious / engines that analysed it">{text}</span>;
}

export function threatLabelOf(vt: RowVt): string | undefined {
  return vt?.state === 'checked' && vt.threatLabel ? vt.threatLabel : undefined;
}

export function ThreatLabelCell({ vt }: { vt: RowVt }) {
  const label = threatLabelOf(vt);
  return label ? <UntrustedText value={label} /> : <Missing />;
}

/** Only a hash VirusTotal knows has a page worth opening. */
export function VtLinkCell({ vt, href }: { vt: RowVt; href: string }) {
  if (vt?.state !== 'checked' || vt.vtScore === null || !href.startsWith('https://')) return <Missing />;
  return (
    <a
      href={href}
      target="_blank"
      rel="noreferrer noopener"
      className="inline-flex items-center gap-1 text-accent hover:underline"
      onClick={(e) => e.stopPropagation()}
    >
      VirusTotal
      <ExternalLink className="size-3" aria-hidden />
    </a>
  );
}
