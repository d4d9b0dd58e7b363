/** Display formatting shared by the pages and tables: the one home of number, time and size formats (pure, client-safe). */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return '—';
  return dateTime.format(typeof d === 'string' ? new Date(d) : d);
}

const count = new Intl.NumberFormat('en-US');

export function formatCount(n: number): string {
  return count.format(n);
}

/**
 * A duration as people say it: "40 s", "3 min 20 s", "25 min", "2 h 5 min", "1 d 3 h" (whole seconds,
 * rounded up: a wait is never shorter than said). `precise` is for measured durations, which are often
 * short: under a minute they read "350 ms" or "4.2 s".
 */
export function formatDuration(ms: number | null | undefined, opts: { precise?: boolean } = {}): string {
  if (ms === null || ms === undefined) return '—';
  if (opts.precise && ms < 1000) return `${Math.round(ms)} ms`;
  if (opts.precise && ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.max(0, Math.ceil(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  if (m < 60) return `${Math.round(s / 60)} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatRelative(d: Date | string | null | undefined, now = Date.now()): string {
  if (!d) return '';
  const t = typeof d === 'string' ? new Date(d).getTime() : d.getTime();
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 36) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** A percentage cell: two decimals, "—" when there is none. */
export function formatPercent(n: number | null | undefined): string {
  return n === null || n === undefined || Number.isNaN(n) ? '—' : n.toFixed(2);
}

/** "01:00" style local time of a moment, for "resumes at 00:00 UTC (01:00 your time)". */
export function localTimeText(d: Date, locale?: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(d);
}
