/**
 * Process names, users, paths and command lines come from the inspected host and are untrusted.
 * React already renders them as text (no markup is ever interpreted); this module makes the
 * characters that would still deceive a reader visible: line breaks and other control characters,
 * bidi overrides and isolates (U+202E turns "gpj.exe" into "exe.jpg"), and zero-width characters.
 */

/** C0/C1 controls, DEL, bidi marks/embeddings/overrides/isolates, zero-width and line/paragraph separators, BOM. */
const SPECIAL = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u2028-\u202E\u2060-\u2069\uFEFF]/;
const SPECIAL_GLOBAL = new RegExp(SPECIAL.source, 'g');

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Longest text put into a table cell; the cell clips it anyway and the full value goes in `title`. */
export const CELL_TEXT_MAX = 512;

export interface TextSegment {
  text: string;
  /** True when `text` is the visible escape of an invisible or deceptive character (render it muted). */
  escaped: boolean;
}

/** `\n`, `\r`, `\t`, or `\uXXXX` (upper-case hex) for one special character. */
export function escapeChar(ch: string): string {
  return NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

export function hasSpecialChars(value: string): boolean {
  return SPECIAL.test(value);
}

/** The value with every special character replaced by its escape: safe for `title` and plain text. */
export function escapeForDisplay(value: string): string {
  return hasSpecialChars(value) ? value.replace(SPECIAL_GLOBAL, escapeChar) : value;
}

/** Cuts at `max` UTF-16 units without splitting a surrogate pair. */
function clip(value: string, max: number): { text: string; clipped: number } {
  if (value.length <= max) return { text: value, clipped: 0 };
  let end = max;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: value.slice(0, end), clipped: value.length - end };
}

/**
 * Splits a value into plain and escaped runs for rendering, e.g. "a\u202Eb" →
 * [{a}, {\u202E, escaped}, {b}]. Values longer than `maxLength` are clipped and end with an
 * escaped "…" segment.
 */
export function toDisplaySegments(value: string, maxLength: number = CELL_TEXT_MAX): TextSegment[] {
  const { text, clipped } = clip(value, maxLength);
  const out: TextSegment[] = [];
  if (!hasSpecialChars(text)) {
    if (text) out.push({ text, escaped: false });
  } else {
    let last = 0;
    for (const m of text.matchAll(SPECIAL_GLOBAL)) {
      const i = m.index;
      if (i > last) out.push({ text: text.slice(last, i), escaped: false });
      const esc = escapeChar(m[0]);
      const prev = out[out.length - 1];
      // Runs of escapes share one segment: fewer DOM nodes for hostile strings.
      if (prev?.escaped) prev.text += esc;
      else out.push({ text: esc, escaped: true });
      last = i + m[0].length;
    }
    if (last < text.length) out.push({ text: text.slice(last), escaped: false });
  }
  if (clipped > 0) out.push({ text: '…', escaped: true });
  return out;
}

/** Shows a path by its end (the file name), which is the part an analyst reads first. */
export function clipStart(value: string, max: number): string {
  if (value.length <= max) return value;
  return `…${value.slice(value.length - (max - 1))}`;
}
