import 'server-only';
import { checkGiven, flagTypes, pickCommand, readValues, tokenize } from './args';
import { COMMANDS } from './commands';
import { consoleReporter, failureOf, type Reporter } from './output';
import { commandHelp, usage } from './usage';

const FLAG_TYPES = flagTypes(COMMANDS);

/**
 * One command line: words and flags are checked against the command's declaration (commands.ts)
 * before the configuration is read, then the command runs. Any failure is one line on stderr and
 * the exit code of its error code (output.ts).
 */
export async function main(argv: string[], report: Reporter = consoleReporter): Promise<number> {
  try {
    const given = tokenize(argv, FLAG_TYPES);
    const [name, topic] = given.words;
    if (name === undefined || name === 'help' || given.flags.has('help')) {
      const subject = COMMANDS.find((c) => c.name === (name === 'help' ? topic : name));
      report.stdout(subject ? commandHelp(subject) : usage(COMMANDS));
      return name === undefined && !given.flags.has('help') ? 2 : 0;
    }
    const { command, prefix, rest } = pickCommand(COMMANDS, given.words);
    const operand = checkGiven(command, prefix, given, rest);
    command.early?.(given.flags);
    const { getEnv } = await import('@/lib/env');
    const env: Record<string, unknown> = getEnv();
    const values = readValues(command, given, (v) => {
      const value = env[v];
      return typeof value === 'string' ? value : undefined;
    });
    await command.run(values, { operand, report });
    return 0;
  } catch (e) {
    const { line, exitCode } = failureOf(e);
    process.stderr.write(line);
    return exitCode;
  }
}
