import { isGroup, type Command, type CommandSpec, type Flag } from './spec';

/** The help is wrapped to this many columns. */
const WIDTH = 100;
/** A label wider than this puts its text on the next line. */
const MAX_LABEL = 30;

export const HELP_SUMMARY = 'Show this help; "proclens help COMMAND" or "proclens COMMAND --help" shows one command';

export function flagLabel(name: string, f: Flag): string {
  if (f.type === 'boolean') return `--${name}`;
  return `--${name} ${f.choices ? f.choices.join('|') : f.value}`;
}

/** A flag's help with where else its value comes from. */
export function flagHelp(f: Flag): string {
  return `${f.help}${f.env ? ` (or ${f.env})` : ''}${f.default !== undefined ? ` (default: ${f.default})` : ''}`;
}

/** `token reassign NAME --to EMAIL`, `check [--run ID | --latest | --workbook FILE] [--txt FILE] [--json]`. */
export function synopsis(c: Command, prefix: string | null = null): string {
  return synopsisParts(c, prefix).join(' ');
}

function synopsisParts(c: Command, prefix: string | null): string[] {
  const parts = prefix ? [prefix, c.name] : [c.name];
  if (c.operand) parts.push(c.operand.value);
  for (const [name, f] of Object.entries(c.flags)) {
    if (name === c.operand?.flag) continue;
    if (c.oneOf?.includes(name)) {
      if (name === c.oneOf[0]) parts.push(`[${c.oneOf.map((n) => flagLabel(n, c.flags[n]!)).join(' | ')}]`);
    } else parts.push(f.example !== undefined ? flagLabel(name, f) : `[${flagLabel(name, f)}]`);
  }
  return parts;
}

/** Words (or a synopsis's parts, kept whole) in lines of at most `width`. */
function wrap(text: string | readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of typeof text === 'string' ? text.split(/\s+/).filter(Boolean) : text) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

/** Labels and their texts in two columns; `column` fixes where the texts start. */
function columns(rows: readonly (readonly [string, string])[], indent: number, column?: number): string[] {
  const fitting = rows.map(([l]) => l.length + 2).filter((w) => w <= MAX_LABEL);
  const col = column ?? (fitting.length ? Math.max(...fitting) : 4);
  const pad = ' '.repeat(indent);
  const under = pad + ' '.repeat(col);
  return rows.flatMap(([label, text]) => {
    const lines = wrap(text, WIDTH - indent - col);
    if (label.length + 2 > col) return [pad + label, ...lines.map((l) => under + l)];
    return [pad + label.padEnd(col) + (lines[0] ?? ''), ...lines.slice(1).map((l) => under + l)];
  });
}

const flagRows = (c: Command) => Object.entries(c.flags).map(([name, f]) => [flagLabel(name, f), flagHelp(f)] as const);

/** Examples as `proclens …`, their comments aligned. */
function examples(list: readonly string[] | undefined): string[] {
  if (!list?.length) return [];
  const rows = list.map((e) => {
    const i = e.indexOf(' # ');
    return i < 0
      ? ([`proclens ${e}`, ''] as const)
      : ([`proclens ${e.slice(0, i).trimEnd()}`, `# ${e.slice(i + 3)}`] as const);
  });
  const col = Math.max(...rows.map(([l]) => l.length)) + 2;
  return ['', 'Examples:', ...rows.map(([l, c]) => `  ${c ? l.padEnd(col) + c : l}`)];
}

/** `proclens help` / `--help`: every command with its flags (a group: its subcommands). */
export function usage(commands: readonly CommandSpec[]): string {
  const col = Math.max(...commands.map((c) => c.name.length), 'help'.length) + 2;
  const lines = ['Usage: proclens <command> [options]', '', 'Commands:'];
  for (const c of commands) {
    lines.push(...columns([[c.name, c.summary]], 2, col));
    const rows = isGroup(c) ? c.subcommands.map((s) => [synopsis(s), s.summary] as const) : flagRows(c);
    if (rows.length) lines.push(...columns(rows, 2 + col));
  }
  lines.push(
    ...columns([['help', HELP_SUMMARY]], 2, col),
    '',
    'Environment: DATA_DIR, DATABASE_URL, VT_API_KEY, VT_* and more (see README).',
  );
  return lines.join('\n');
}

/** `proclens <command> --help`: its synopsis, what it does, every flag, examples. */
export function commandHelp(c: CommandSpec): string {
  const subs = isGroup(c) ? c.subcommands : [c];
  const prefix = isGroup(c) ? c.name : null;
  const lines = subs.flatMap((s, i) =>
    wrap(['proclens', ...synopsisParts(s, prefix)], WIDTH - 9).map(
      (l, j) => (i || j ? '       ' : 'Usage: ') + (j ? '  ' : '') + l,
    ),
  );
  lines.push('', ...wrap(`${c.summary}.${c.details ? ` ${c.details}` : ''}`, WIDTH));
  if (isGroup(c)) {
    for (const s of subs) {
      lines.push('', ...wrap(`${s.name}: ${s.summary}.${s.details ? ` ${s.details}` : ''}`, WIDTH));
      if (Object.keys(s.flags).length) lines.push(...columns(flagRows(s), 2));
    }
  } else if (Object.keys(c.flags).length) lines.push('', 'Options:', ...columns(flagRows(c), 2));
  lines.push(...examples(c.examples));
  return lines.join('\n');
}
