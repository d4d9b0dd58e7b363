import { command, flag, type CommandSpec } from './spec';

// The hosted-mode commands (issue 11). Each imports its module only when run, so `agent` never
// loads the database driver and the other commands pay nothing for these.

/** The roles a person can have (server/auth/roles.ts ROLE_NAMES; spec.test.ts holds them equal). */
export const ROLE_CHOICES = ['admin', 'analyst', 'viewer'] as const;

const json = flag.boolean('print one JSON document on stdout');

const agent = command({
  name: 'agent',
  summary: 'Collect on this host and push snapshots to a hosted ProcLens',
  details:
    'Keeps its hash cache and a bounded spool of undelivered snapshots in AGENT_STATE_DIR; a refused token ' +
    '(401/403) stops it at once with "token invalid or revoked".',
  flags: {
    server: flag.required(
      'URL',
      'the ProcLens address, e.g. https://proclens.example.org',
      'https://proclens.example.org',
    ),
    token: flag.requiredOrEnv('TOKEN', 'an agent token', 'PROCLENS_AGENT_TOKEN'),
    interval: flag.interval('how often: 30s, 15m, 1h', '15m'),
    'min-memory': flag.percent('keep processes using at least N % of RAM'),
    'host-name': flag.matching(
      'NAME',
      'report this host under another name',
      /^[^\s\u0000-\u001f]{1,253}$/,
      'must be 1–253 characters without spaces',
    ),
    once: flag.boolean('one snapshot, then exit (non-zero if it could not be delivered)'),
  },
  examples: ['agent --server https://proclens.example.org --interval 15m # with PROCLENS_AGENT_TOKEN set'],
  async run(v, { report }) {
    const { runAgent } = await import('./agent');
    await runAgent(
      {
        server: v.server,
        token: v.token,
        intervalMs: v.interval,
        minMemoryPercent: v['min-memory'],
        hostName: v['host-name'],
        once: v.once,
      },
      report,
    );
  },
});

const tokenName = flag.text('NAME', 'the token (instead of NAME)');

const token = {
  name: 'token',
  summary: 'Agent tokens: create, list, revoke, re-assign',
  details:
    'A token can only push snapshots. One made here belongs to the operator; one made on the Tokens page ' +
    'belongs to its admin and stops when they are removed, banned or no longer an admin.',
  subcommands: [
    command({
      name: 'create',
      summary: 'Create a token and print it alone on stdout (it is shown once)',
      flags: { name: flag.required('NAME', 'the token name', 'web-servers') },
      async run(v, { report }) {
        await (await import('./hosted')).runTokenCreate(v.name, report);
      },
    }),
    command({
      name: 'list',
      summary: 'Names, prefixes, owners, last use and status',
      flags: { json },
      async run(v, { report }) {
        await (await import('./hosted')).runTokenList(v.json, report);
      },
    }),
    command({
      name: 'revoke',
      summary: 'Stop a token at once',
      flags: { name: tokenName },
      operand: { value: 'NAME', flag: 'name', missing: 'Give the token to revoke' },
      async run(_, { operand, report }) {
        await (await import('./hosted')).runTokenRevoke(operand!, report);
      },
    }),
    command({
      name: 'reassign',
      summary: 'Another admin takes the token over',
      flags: { name: tokenName, to: flag.required('EMAIL', 'the admin who takes it over', 'ana@example.org') },
      operand: { value: 'NAME', flag: 'name', missing: 'Give the token to re-assign' },
      async run(v, { operand, report }) {
        await (await import('./hosted')).runTokenReassign(operand!, v.to, report);
      },
    }),
  ],
  examples: ['token create --name web # prints plt_…', 'token reassign web --to lead@example.org'],
} satisfies CommandSpec;

const admin = {
  name: 'admin',
  summary: 'People who sign in to a hosted ProcLens',
  subcommands: [
    command({
      name: 'create-user',
      summary: 'Create a person (password from PROCLENS_PASSWORD, or asked on the terminal)',
      flags: {
        email: flag.required('E', 'their email address', 'ana@example.org'),
        role: flag.required('ROLE', 'their role', 'analyst', ROLE_CHOICES),
        name: flag.text('N', 'their name (default: the part of the email before @)'),
      },
      async run(v, { report }) {
        await (await import('./hosted')).runCreateUser({ email: v.email, role: v.role, name: v.name }, report);
      },
    }),
  ],
  examples: ['admin create-user --email lead@example.org --role admin # the first admin, without a browser'],
} satisfies CommandSpec;

const hosts = command({
  name: 'hosts',
  summary: 'Every host: last seen, agent version, processes, malicious / needs research',
  flags: { json },
  async run(v, { report }) {
    await (await import('./hosted')).runHosts(v.json, report);
  },
});

const prevalence = command({
  name: 'prevalence',
  summary: 'One row per executable across hosts, fewest hosts first',
  flags: { 'max-hosts': flag.count('N', 'only executables seen on at most N hosts', 'hosts'), json },
  async run(v, { report }) {
    await (await import('./hosted')).runPrevalence({ maxHosts: v['max-hosts'], json: v.json }, report);
  },
});

const runs = command({
  name: 'runs',
  summary: 'Run history, newest first',
  flags: { host: flag.text('H', 'only the runs of this host'), json },
  async run(v, { report }) {
    await (await import('./hosted')).runRuns({ host: v.host, json: v.json }, report);
  },
});

export const HOSTED_COMMANDS: readonly CommandSpec[] = [agent, token, admin, hosts, prevalence, runs];
