import { HOSTED_COMMANDS } from './hosted-commands';
import { command, flag, type CommandSpec } from './spec';

// Each command imports its module when it runs (`await import(...)`), so `--help` loads nothing
// and `collect` never loads the VirusTotal code: a new command is one more entry here.

const collect = command({
  name: 'collect',
  summary: 'Collect running processes, hash their executables, store the run',
  details:
    'Progress goes to stderr, the result to stdout. When a ProcLens server holds this DATA_DIR, the run is ' +
    'handed to it.',
  flags: {
    'min-memory': flag.percent('keep processes using at least N % of RAM; 0 keeps all'),
    json: flag.boolean('print the run as one JSON document on stdout'),
    out: flag.text('DIR', 'write the workbook into DIR'),
    'no-store': flag.boolean('do not store the run in the database'),
  },
  examples: [
    'collect # collect and store a run, print a summary',
    'collect --min-memory 1 # only processes using at least 1 % of RAM',
    'collect --out ./exports # also write the workbook into ./exports',
    'collect --json > run.json # one JSON document on stdout (progress on stderr)',
    'collect --no-store --json # collect without touching the database',
  ],
  early(given) {
    // Without the stored hash cache every executable is read: the hash workers boot (~0.1 s each)
    // while the settings and the collect code load. The pool resizes to HASH_WORKERS later.
    if (given.has('no-store'))
      void import('@/server/services/processes/hash-pool').then(
        (m) => m.prewarmHashPool(),
        () => undefined, // the collect itself reports a broken install
      );
  },
  async run(v, { report }) {
    const { runCollect } = await import('./collect');
    await runCollect({ minMemoryPercent: v['min-memory'], json: v.json, outDir: v.out, store: !v['no-store'] }, report);
  },
});

const check = command({
  name: 'check',
  summary: 'Look every distinct hash of a run up on VirusTotal (paced, cached), wait for the end',
  details:
    'Exits 0 when every hash has a result; otherwise non-zero with the reason (no key, a rejected key, the ' +
    'daily quota with its reset time, or hashes that failed). Run again, it resumes: cached answers cost nothing.',
  flags: {
    run: flag.runId('the run to check (default: the latest)'),
    latest: flag.boolean('check the latest run'),
    workbook: flag.text(
      'FILE',
      "import an All_process_hash_real_time_*.xlsx (ProcLens's or the older name + MD5 sheet) as a new run, then check it",
    ),
    txt: flag.text('FILE', 'write vt_results.txt to FILE'),
    json: flag.boolean('print the hashes, VTScore descending, as one JSON document'),
  },
  oneOf: ['run', 'latest', 'workbook'],
  examples: [
    'check --latest --txt vt_results.txt # look the latest run up on VirusTotal',
    'check --run 12 --json > hashes.json # hashes with VTScore, highest first',
    'check --workbook FILE.xlsx --txt vt_results.txt # import a workbook, then check it',
  ],
  async run(v, { report }) {
    const { runCheck } = await import('./check');
    await runCheck({ runId: v.run ?? 'latest', workbook: v.workbook, txtFile: v.txt, json: v.json }, report);
  },
});

const worker = command({
  name: 'worker',
  summary: 'Run a VirusTotal lookup worker until Ctrl-C (hosted deployments)',
  details: 'Several workers (and app processes) share one database and one VirusTotal quota.',
  flags: {},
  async run(_, { report }) {
    await (await import('./worker')).runWorker(report);
  },
});

const url = command({
  name: 'url',
  summary:
    "Print the dashboard's address; in local mode the access link with its token (the one `npm start` printed), for this DATA_DIR's server",
  flags: {},
  async run(_, { report }) {
    await (await import('./url')).runUrl(report);
  },
});

const config = command({
  name: 'config',
  summary: 'Print the effective (validated, non-secret) configuration as JSON',
  flags: {},
  async run(_, { report }) {
    (await import('./config')).runConfig(report);
  },
});

/** Every command, in the order the help lists them. */
export const COMMANDS: readonly CommandSpec[] = [collect, check, worker, ...HOSTED_COMMANDS, url, config];
