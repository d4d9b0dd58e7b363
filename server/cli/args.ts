import { CliError } from './output';
import { isGroup, type Command, type CommandSpec } from './spec';
import { flagLabel, synopsis } from './usage';

/** The words and flags of a command line, before any command reads them. */
export interface Given {
  words: string[];
  flags: Map<string, string | true>;
}

const bad = (message: string) => new CliError('bad-input', message);

/**
 * node:util's parseArgs, taken from the loaded built-in: importing `node:util` as an ES module
 * builds its whole namespace (it loads util's lazily-loaded parts), a few ms of every command's start.
 */
const { parseArgs } = process.getBuiltinModule('node:util');

/** Each flag name's type, over every command (spec.test.ts holds that a name has one type). */
export function flagTypes(commands: readonly CommandSpec[]): Record<string, { type: 'string' | 'boolean' }> {
  const types: Record<string, { type: 'string' | 'boolean' }> = { help: { type: 'boolean' } };
  for (const c of commands)
    for (const sub of isGroup(c) ? c.subcommands : [c])
      for (const [name, f] of Object.entries(sub.flags)) types[name] = { type: f.type };
  return types;
}

/**
 * `--flag value`, `--flag=value` and boolean `--flag`, split by node:util's parseArgs. Its lenient
 * mode hands back tokens, so the refusals stay the CLI's own sentences and an unknown flag is
 * refused by the command (which knows its flags). A single-dash word is a word, as it always was.
 */
export function tokenize(argv: string[], types: ReturnType<typeof flagTypes>): Given {
  const { tokens } = parseArgs({ args: argv, options: types, strict: false, allowPositionals: true, tokens: true });
  const words: string[] = [];
  const flags = new Map<string, string | true>();
  let lastShort = -1;
  const typeOf = (name: string) => (Object.hasOwn(types, name) ? types[name]!.type : undefined);
  for (const t of tokens) {
    if (t.kind === 'option-terminator') throw bad(`Unexpected argument "${argv[t.index]}".`);
    if (t.kind === 'positional') words.push(t.value);
    else if (!t.rawName.startsWith('--')) {
      // `-abc` is one token per letter, all at the word's index.
      if (t.index !== lastShort) words.push(argv[t.index]!);
      lastShort = t.index;
    } else if (typeOf(t.name) === 'string') {
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--')))
        throw bad(`--${t.name} needs a value.`);
      flags.set(t.name, t.value);
    } else if (typeOf(t.name) && t.inlineValue) {
      throw bad(`--${t.name} takes no value.`);
    } else {
      flags.set(t.name, t.value ?? true);
    }
  }
  return { words, flags };
}

/** The command a line names (a group's subcommand, with the group's name as prefix) and the words after it. */
export function pickCommand(
  commands: readonly CommandSpec[],
  words: string[],
): { command: Command; prefix: string | null; rest: string[] } {
  const [name, ...rest] = words;
  const top = commands.find((c) => c.name === name);
  if (!top) throw bad(`Unknown command "${name}". Run "proclens help".`);
  if (!isGroup(top)) return { command: top, prefix: null, rest };
  const sub = top.subcommands.find((s) => s.name === rest[0]);
  if (!sub) throw bad(`Use: proclens ${top.subcommands.map((s) => synopsis(s, top.name)).join(' | ')}.`);
  return { command: sub, prefix: top.name, rest: rest.slice(1) };
}

/**
 * Refuses flags the command does not have, words it does not take and flags given together that
 * exclude each other; returns the operand (`token revoke NAME`, or its `--name NAME` spelling).
 */
export function checkGiven(command: Command, prefix: string | null, given: Given, rest: string[]): string | null {
  for (const name of given.flags.keys())
    if (!Object.hasOwn(command.flags, name)) throw bad(`Unknown option --${name}. Run "proclens help".`);
  const taken = command.operand ? 1 : 0;
  if (rest.length > taken) throw bad(`Unexpected argument "${rest[taken]}".`);
  if (command.oneOf && command.oneOf.filter((f) => given.flags.has(f)).length > 1) {
    const labels = command.oneOf.map((f) => flagLabel(f, command.flags[f]!));
    throw bad(`Give one of ${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}.`);
  }
  if (!command.operand) return null;
  const fromFlag = command.operand.flag ? given.flags.get(command.operand.flag) : undefined;
  const operand = rest[0] ?? (typeof fromFlag === 'string' ? fromFlag : null);
  if (!operand) throw bad(`${command.operand.missing}: proclens ${synopsis(command, prefix)}.`);
  return operand;
}

/** Each flag's value as the command gets it: given, else from its environment variable, else its default. */
export function readValues(
  command: Command,
  given: Given,
  env: (name: string) => string | undefined,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(command.flags))
    values[name] = f.read(given.flags.get(name) ?? (f.env ? env(f.env) : undefined) ?? f.default, name);
  return values;
}
