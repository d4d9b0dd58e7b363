import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROLE_NAMES } from '@/server/auth/roles';
import { COMMANDS } from './commands';
import { ROLE_CHOICES } from './hosted-commands';
import { main } from './main';
import type { Reporter } from './output';
import { isGroup, type Command } from './spec';
import { commandHelp, flagLabel, usage } from './usage';

/** The CLI in this process: stdout as the reporter saw it, stderr as written, the exit code. */
async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err.push(String(chunk));
    return true;
  });
  const report: Reporter = { stdout: (t) => out.push(t), progress: (t) => err.push(`proclens: ${t}\n`) };
  try {
    const code = await main(argv, report);
    return { code, stdout: out.join('\n'), stderr: err.join('') };
  } finally {
    write.mockRestore();
  }
}

type Entry = { command: Command; prefix: string | null };
const every = (): Entry[] =>
  COMMANDS.flatMap((c): Entry[] =>
    isGroup(c) ? c.subcommands.map((s) => ({ command: s, prefix: c.name })) : [{ command: c, prefix: null }],
  );

afterEach(() => vi.restoreAllMocks());

describe('the command declarations', () => {
  it('give each flag name one type across commands (the line is split before the command is known)', () => {
    const seen = new Map<string, string>();
    for (const { command } of every())
      for (const [name, f] of Object.entries(command.flags)) {
        expect(seen.get(name) ?? f.type, `--${name}`).toBe(f.type);
        seen.set(name, f.type);
      }
    expect(seen.has('help')).toBe(false);
  });

  it('offer the roles the server knows', () => {
    expect([...ROLE_CHOICES]).toEqual([...ROLE_NAMES]);
  });

  it('put every command and flag in the help, and each command in its own help', () => {
    const all = usage(COMMANDS);
    for (const c of COMMANDS) {
      expect(all).toContain(`  ${c.name} `);
      const own = commandHelp(c);
      for (const { command, prefix } of every().filter((e) => e.command === c || e.prefix === c.name)) {
        for (const [name, f] of Object.entries(command.flags)) {
          expect(own).toContain(flagLabel(name, f));
          if (!prefix) expect(all).toContain(flagLabel(name, f));
        }
      }
    }
    expect(Math.max(...all.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
  });
});

describe('proclens help', () => {
  it('--help, help and no command print the usage; only a bare proclens exits 2', async () => {
    for (const argv of [['--help'], ['help'], ['collect', '--min-memory', 'lots', '--help'], ['nope', '--help']]) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: proclens/);
    }
    const bare = await run([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe(usage(COMMANDS));
  });

  it('COMMAND --help and help COMMAND print that command: synopsis, options with defaults, examples', async () => {
    const a = await run(['collect', '--help']);
    const b = await run(['help', 'collect']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).toMatch(/^Usage: proclens collect \[--min-memory N\] \[--json\] \[--out DIR\] \[--no-store\]\n/);
    expect(a.stdout).toMatch(/--min-memory N +keep processes using at least N % of RAM; 0 keeps all \(default: 0\)/);
    expect(a.stdout).toMatch(/\nExamples:\n {2}proclens collect +# collect and store a run/);
    const token = await run(['token', 'revoke', '--help']);
    expect(token.stdout).toMatch(/^Usage: proclens token create --name NAME\n {7}proclens token list \[--json\]\n/);
    expect((await run(['agent', '--help'])).stdout).toMatch(
      /--token TOKEN +an agent token \(or PROCLENS_AGENT_TOKEN\)/,
    );
  });
});

describe('proclens refuses a bad command line with one sentence, exit 2, before reading anything', () => {
  it.each([
    [['explode'], 'Unknown command "explode". Run "proclens help".'],
    [['-h'], 'Unknown command "-h". Run "proclens help".'],
    [['collect', '--frobnicate'], 'Unknown option --frobnicate. Run "proclens help".'],
    [['url', '--json'], 'Unknown option --json. Run "proclens help".'],
    [['collect', '--json=yes'], '--json takes no value.'],
    [['collect', '--out'], '--out needs a value.'],
    [['collect', '--out', '--json'], '--out needs a value.'],
    [['collect', 'extra'], 'Unexpected argument "extra".'],
    [['collect', '--', 'x'], 'Unexpected argument "--".'],
    [['collect', '--min-memory', 'lots'], '--min-memory must be a number from 0 to 100.'],
    [['collect', '--min-memory=101'], '--min-memory must be a number from 0 to 100.'],
    [['check', '--run', '../1'], '--run must be a run id (a positive whole number).'],
    [['check', '--workbook', 'x.xlsx', '--run', '1'], 'Give one of --run ID, --latest or --workbook FILE.'],
    [['check', '--latest', '--run', '1'], 'Give one of --run ID, --latest or --workbook FILE.'],
    [
      ['token'],
      'Use: proclens token create --name NAME | token list [--json] | token revoke NAME | token reassign NAME --to EMAIL.',
    ],
    [['token', 'create'], '--name is required, e.g. --name web-servers.'],
    [['token', 'create', '--name', '  '], '--name is required, e.g. --name web-servers.'],
    [['token', 'list', 'x'], 'Unexpected argument "x".'],
    [['token', 'revoke'], 'Give the token to revoke: proclens token revoke NAME.'],
    [['token', 'revoke', 'a', 'b'], 'Unexpected argument "b".'],
    [['token', 'reassign', '--to', 'a@b.c'], 'Give the token to re-assign: proclens token reassign NAME --to EMAIL.'],
    [['token', 'reassign', 'lab'], '--to is required, e.g. --to ana@example.org.'],
    [['admin', 'create-user', '--email', 'a@b.c', '--role', 'root'], '--role must be one of admin, analyst, viewer.'],
    [['admin', 'create-user', '--role', 'viewer'], '--email is required, e.g. --email ana@example.org.'],
    [['agent', '--token', 'x'], '--server is required, e.g. --server https://proclens.example.org.'],
    [
      ['agent', '--server', 'http://x', '--token', 'x', '--interval', '2s'],
      '--interval must be like 30s, 15m or 1h (10 s to 7 days).',
    ],
    [
      ['agent', '--server', 'http://x', '--token', 'x', '--host-name', 'a b'],
      '--host-name must be 1–253 characters without spaces.',
    ],
    [['prevalence', '--max-hosts', '0'], '--max-hosts must be a whole number of hosts, 1 or more.'],
    [['hosts', '--max-hosts', '3'], 'Unknown option --max-hosts. Run "proclens help".'],
    [['hosts', '--constructor=x'], 'Unknown option --constructor. Run "proclens help".'],
  ])('%j', async (argv, sentence) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`proclens: ${sentence}\n`);
    expect(r.stdout).toBe('');
  });

  it('--token falls back to PROCLENS_AGENT_TOKEN, and says so when neither is set', async () => {
    const saved = process.env.PROCLENS_AGENT_TOKEN;
    delete process.env.PROCLENS_AGENT_TOKEN;
    const { resetEnvForTests } = await import('@/lib/env');
    resetEnvForTests();
    try {
      const r = await run(['agent', '--server', 'http://x']);
      expect(r.stderr).toBe('proclens: --token is required (or set PROCLENS_AGENT_TOKEN).\n');
      expect(r.code).toBe(2);
    } finally {
      if (saved !== undefined) process.env.PROCLENS_AGENT_TOKEN = saved;
      resetEnvForTests();
    }
  });
});
