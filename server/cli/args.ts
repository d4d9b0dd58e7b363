import { isPercent } from '@/domain/percent';
import { parseRunId } from '@/domain/run-id';
import { CliError } from './output';

export interface ParsedArgs {
  command: string | null;
  /** `token create`, `admin create-user`: the second word, when a command takes one. */
  subcommand: string | null;
  /** `token revoke NAME`, `token reassign NAME`: the word after the subcommand. */
  operand: string | null;
  flags: Map<string, string | true>;
}

const USAGE = `Usage: proclens <command> [options]

Commands:
  collect   Collect running processes, hash their executables, store the run
            --min-memory N   keep processes using at least N % of RAM (default 0 = all)
            --json           print the run as one JSON document on stdout
            --out DIR        write the workbook into DIR
            --no-store       do not store the run in the database
  check     Look every distinct hash of a run up on VirusTotal (paced, cached), wait for the end
            --run ID | --latest   which run (default: the latest)
            --workbook FILE  import an All_process_hash_real_time_*.xlsx (ProcLens's or
                             the older name + MD5 sheet) as a new run, then check it
            --txt FILE       write vt_results.txt to FILE
            --json           print the hashes, VTScore descending, as one JSON document
  worker    Run a VirusTotal lookup worker until Ctrl-C (hosted deployments)
  agent     Collect on this host and push snapshots to a hosted ProcLens
            --server URL     the ProcLens address, e.g. https://proclens.example.org
            --token TOKEN    an agent token (or PROCLENS_AGENT_TOKEN)
            --interval 15m   how often (30s, 15m, 1h; default 15m)
            --min-memory N   keep processes using at least N % of RAM
            --host-name NAME report this host under another name
            --once           one snapshot, then exit (non-zero if it could not be delivered)
  token     Agent tokens: create --name NAME (prints the token alone) | list [--json] | revoke NAME
            | reassign NAME --to EMAIL (another admin takes it over; a token stops when its
            owner is removed, banned or no longer an admin)
  admin     create-user --email E --role admin|analyst|viewer [--name N]
            (password from PROCLENS_PASSWORD, or asked on the terminal)
  hosts     Every host: last seen, agent version, processes, malicious / needs research [--json]
  prevalence  One row per executable across hosts, fewest hosts first [--max-hosts N] [--json]
  runs      Run history, newest first [--host H] [--json]
  url       Print the dashboard's address; in local mode the access link with its token
            (the one \`npm start\` printed), for this DATA_DIR's server
  config    Print the effective (validated, non-secret) configuration as JSON
  help      Show this help

Environment: DATA_DIR, DATABASE_URL, VT_API_KEY, VT_* and more (see README).`;

export function usage(): string {
  return USAGE;
}

/** `--flag value`, `--flag=value` and boolean `--flag`; `booleans` lists flags that take no value. */
export function parseArgs(argv: string[], booleans: ReadonlySet<string>): ParsedArgs {
  const flags = new Map<string, string | true>();
  let command: string | null = null;
  let subcommand: string | null = null;
  let operand: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (!name) throw new CliError(`Unexpected argument "${a}".`, 2);
      if (booleans.has(name)) {
        if (eq > 0) throw new CliError(`--${name} takes no value.`, 2);
        flags.set(name, true);
      } else if (eq > 0) {
        flags.set(name, a.slice(eq + 1));
      } else {
        const v = argv[i + 1];
        if (v === undefined || v.startsWith('--')) throw new CliError(`--${name} needs a value.`, 2);
        flags.set(name, v);
        i++;
      }
    } else if (command === null) {
      command = a;
    } else if (subcommand === null) {
      subcommand = a;
    } else if (operand === null) {
      operand = a;
    } else {
      throw new CliError(`Unexpected argument "${a}".`, 2);
    }
  }
  return { command, subcommand, operand, flags };
}

export function rejectUnknown(flags: Map<string, unknown>, allowed: readonly string[]): void {
  for (const name of flags.keys()) {
    if (!allowed.includes(name)) throw new CliError(`Unknown option --${name}. Run "proclens help".`, 2);
  }
}

export function percentFlag(raw: string | true | undefined, name: string): number {
  if (raw === undefined) return 0;
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!isPercent(n)) throw new CliError(`--${name} must be a number from 0 to 100.`, 2);
  return n;
}

export function runIdFlag(raw: string | true): number {
  const n = typeof raw === 'string' ? parseRunId(raw) : null;
  if (n === null) throw new CliError('--run must be a run id (a positive whole number).', 2);
  return n;
}
