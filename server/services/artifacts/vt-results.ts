import { txtOutcome, type HashVtState, type Verdict } from '@/domain/verdict';
import { LONE_SURROGATE } from './neutralise';
import type { RunExport } from './types';
import { vtStatusOf } from './vt-status';

/**
 * The seed's `vt_results.txt`. Format (UTF-8, LF, every line LF-terminated):
 *
 *   <name> - malicious | <name> - Not malicious | <name> - The secure score is not found
 *
 * one line per checked process, in the run's order. Read a line by its suffix: it always ends with
 * ` - ` and one of the three outcomes (a name may itself contain ` - `). Processes with no answer yet
 * (pending, failed) or no hash follow after a blank line, every such line starting with `# `:
 *
 *   # Not checked (2 processes):
 *   # kworker/0:1 - not hashed (kernel-thread)
 *   # foo - pending: not yet checked on VirusTotal
 */
export const VT_RESULTS_FILE_NAME = 'vt_results.txt';

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * Escaped in txt text: the backslash (so every escape is unambiguous), C0/DEL/C1 controls, the
 * Unicode line and paragraph separators, bidi controls (which can visually reorder a line, e.g.
 * make "malicious" read as something else), the BOM, and lone surrogates (not encodable as UTF-8).
 */
const TXT_ESCAPED = new RegExp(
  '[\\\\\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029\\u202A-\\u202E\\u2066-\\u2069' +
    `\\u200E\\u200F\\u061C\\uFEFF]|${LONE_SURROGATE.source}`,
  'g',
);

function escapeChar(ch: string): string {
  return SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Untrusted text made safe for one txt line: `\\`, `\n`, `\r`, `\t`, otherwise `\uXXXX` (four
 * uppercase hex digits of the UTF-16 code unit; every escaped character is a single code unit). A
 * leading `#` becomes `\u0023` so a name cannot pass for a comment line.
 */
function escapeTxt(text: string): string {
  const escaped = text.replace(TXT_ESCAPED, escapeChar);
  return escaped.startsWith('#') ? `\\u0023${escaped.slice(1)}` : escaped;
}

/** A process name as written in vt_results.txt: escaped as above; an empty name is `(unnamed)`. */
export function sanitiseTxtName(name: string): string {
  return name === '' ? '(unnamed)' : escapeTxt(name);
}

/** The one definition of a vt_results.txt result line (without its line ending). */
export function formatVtResultLine(name: string, verdict: Verdict): string {
  return `${sanitiseTxtName(name)} - ${txtOutcome(verdict)}`;
}

function reasonText(reason: string | null, fallback: string): string {
  return reason === null || reason === '' ? fallback : escapeTxt(reason);
}

function notCheckedLine(name: string, vt: Exclude<HashVtState, { state: 'checked' }>): string {
  const what =
    vt.state === 'not-hashed'
      ? `not hashed (${reasonText(vt.reason, 'no executable')})`
      : vt.state === 'pending'
        ? `pending: ${reasonText(vt.reason, 'not yet checked on VirusTotal')}`
        : `failed: ${reasonText(vt.reason, 'no reason recorded')}`;
  return `# ${sanitiseTxtName(name)} - ${what}`;
}

export function buildVtResultsTxt(data: RunExport): string {
  const results: string[] = [];
  const notChecked: string[] = [];
  for (const p of data.processes) {
    const vt = vtStatusOf(p);
    if (vt.state === 'checked') results.push(formatVtResultLine(p.name, vt.verdict));
    else notChecked.push(notCheckedLine(p.name, vt));
  }
  const lines = [...results];
  if (notChecked.length > 0) {
    const count = `${notChecked.length} ${notChecked.length === 1 ? 'process' : 'processes'}`;
    lines.push('', `# Not checked (${count}):`, ...notChecked);
  }
  return lines.map((line) => `${line}\n`).join('');
}
