import { isPercent } from '@/domain/percent';
import { parseRunId } from '@/domain/run-id';
import { CliError, type Reporter } from './output';

/**
 * How a command is declared: its flags (type, placeholder, help, default, allowed values, how a
 * value is read), its operand and examples. The parser (args.ts), the help (usage.ts) and the
 * README's command table (docs.ts) all read these declarations; nothing restates a flag.
 */
export interface Flag<T = unknown> {
  type: 'string' | 'boolean';
  /** The value's placeholder: `--out DIR`. Booleans have none; with `choices` they are shown instead. */
  value?: string;
  help: string;
  /** Used when the flag is absent (and shown as "default: …"). */
  default?: string;
  choices?: readonly string[];
  /** Read when the flag is absent: `--token` falls back to PROCLENS_AGENT_TOKEN. */
  env?: string;
  /** A required flag's example value: "--name is required, e.g. --name web-servers." */
  example?: string;
  /** The value given (or the env variable's, or the default; undefined when none) → what the command gets. */
  read(raw: string | true | undefined, name: string): T;
}

export type Flags = Readonly<Record<string, Flag>>;
export type Values<F extends Flags> = { [K in keyof F]: F[K] extends Flag<infer T> ? T : never };

export interface Command<F extends Flags = Flags> {
  name: string;
  /** One line, no full stop: the help's and the README's description. */
  summary: string;
  /** More for `proclens <command> --help` (a paragraph, wrapped when shown). */
  details?: string;
  flags: F;
  /** A word after the command (`token revoke NAME`); `flag` is its `--name NAME` spelling. */
  operand?: { value: string; flag?: keyof F & string; missing: string };
  /** Flags of which at most one may be given. */
  oneOf?: readonly (keyof F & string)[];
  /** Whole command lines without `proclens`, with a comment: `collect --json > run.json   # …`. */
  examples?: readonly string[];
  /** Before the configuration is read, on the given flags: collect's hash workers boot early. */
  early?(given: ReadonlyMap<string, string | true>): void;
  run(values: Values<F>, ctx: { operand: string | null; report: Reporter }): Promise<void>;
}

/** A command made of subcommands (`token create`, `admin create-user`). */
export interface CommandGroup {
  name: string;
  summary: string;
  details?: string;
  subcommands: readonly Command[];
  examples?: readonly string[];
}

export type CommandSpec = Command | CommandGroup;

export const isGroup = (c: CommandSpec): c is CommandGroup => 'subcommands' in c;

/**
 * Declares a command: its `run` sees values typed from its own flags. The list of commands holds
 * them untyped; the parser reads each value with the same flag that typed it (args.ts readValues).
 */
export function command<F extends Flags>(spec: Command<F>): Command {
  return spec as unknown as Command;
}

const bad = (message: string) => new CliError('bad-input', message);
const text = (raw: string | true | undefined): string | null => (typeof raw === 'string' ? raw : null);

/** `15m`, `30s`, `1h`, or seconds; 10 s to 7 days. */
function interval(raw: string | true | undefined, name: string): number {
  const m = typeof raw === 'string' ? /^(\d+)(s|m|h)?$/.exec(raw.trim()) : null;
  const ms = m ? Number(m[1]) * { s: 1_000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 's' | 'm' | 'h'] : Number.NaN;
  if (!Number.isFinite(ms) || ms < 10_000 || ms > 7 * 86_400_000)
    throw bad(`--${name} must be like 30s, 15m or 1h (10 s to 7 days).`);
  return ms;
}

/** The kinds of flag the commands use; each knows how to read and check its value. */
export const flag = {
  boolean: (help: string): Flag<boolean> => ({ type: 'boolean', help, read: (raw) => raw === true }),

  /** An optional value, as given. */
  text: (value: string, help: string): Flag<string | null> => ({ type: 'string', value, help, read: text }),

  /** A value that must be given (trimmed); `choices` limits it to a list. */
  required: (value: string, help: string, example: string, choices?: readonly string[]): Flag<string> => ({
    type: 'string',
    value,
    help,
    example,
    choices,
    read(raw, name) {
      const v = text(raw)?.trim() ?? '';
      if (v === '') throw bad(`--${name} is required, e.g. --${name} ${example}.`);
      if (choices && !choices.includes(v)) throw bad(`--${name} must be one of ${choices.join(', ')}.`);
      return v;
    },
  }),

  /** A value that must be given, or be set in the environment variable `env`. */
  requiredOrEnv: (value: string, help: string, env: string): Flag<string> => ({
    type: 'string',
    value,
    help,
    env,
    read(raw, name) {
      const v = text(raw);
      if (!v) throw bad(`--${name} is required (or set ${env}).`);
      return v;
    },
  }),

  /** An optional value that must match `pattern`; `rule` is the sentence when it does not. */
  matching: (value: string, help: string, pattern: RegExp, rule: string): Flag<string | null> => ({
    type: 'string',
    value,
    help,
    read(raw, name) {
      const v = text(raw);
      if (v !== null && !pattern.test(v)) throw bad(`--${name} ${rule}.`);
      return v;
    },
  }),

  /** A share of RAM in %, 0–100; 0 keeps every process. */
  percent: (help: string): Flag<number> => ({
    type: 'string',
    value: 'N',
    help,
    default: '0',
    read(raw, name) {
      const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      if (!isPercent(n)) throw bad(`--${name} must be a number from 0 to 100.`);
      return n;
    },
  }),

  /** A whole number, 1 or more (up to 7 digits); `what` names it in the refusal. */
  count: (value: string, help: string, what: string): Flag<number | undefined> => ({
    type: 'string',
    value,
    help,
    read(raw, name) {
      if (raw === undefined) return undefined;
      if (typeof raw === 'string' && /^[1-9][0-9]{0,6}$/.test(raw)) return Number(raw);
      throw bad(`--${name} must be a whole number of ${what}, 1 or more.`);
    },
  }),

  runId: (help: string): Flag<number | null> => ({
    type: 'string',
    value: 'ID',
    help,
    read(raw, name) {
      if (raw === undefined) return null;
      const n = typeof raw === 'string' ? parseRunId(raw) : null;
      if (n === null) throw bad(`--${name} must be a run id (a positive whole number).`);
      return n;
    },
  }),

  /** A duration such as 30s, 15m or 1h, in milliseconds. */
  interval: (help: string, fallback: string): Flag<number> => ({
    type: 'string',
    value: 'TIME',
    help,
    default: fallback,
    read: interval,
  }),
};
