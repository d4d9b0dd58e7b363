import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import superjson from 'superjson';
import { closeDb, getDb, openDb } from '@/db';
import { readLock } from '@/db/lock';
import { getRun, listRuns } from '@/db/queries/runs';
import { IMPORT_UPLOAD_MAX_BYTES } from '@/domain/limits';
import type { AppRouter } from '@/server/api/root';
import { readLocalSecret } from '@/server/auth/local-access';
import { getEnv } from '@/lib/env';
// The two modules, not the artifacts index: the index brings the workbook writer and SheetJS with it.
import { buildCheckJson, type CheckJsonDocument } from '@/server/services/artifacts/check-json';
import { buildVtResultsTxt } from '@/server/services/artifacts/vt-results';
import { recoverAfterOpen } from '@/server/recover';
import { loadRunExport } from '@/server/services/runs';
import {
  runCheckStatus,
  startRunCheck,
  startVtWorker,
  type RunCheckStatus,
  type WorkerHandle,
} from '@/server/services/virustotal';
import type { ImportSummary } from '@/server/services/imports/store-import';
import { CliError, type Reporter } from './output';

/** Read before the import's own checks: a larger file is refused without loading it (the import's cap). */
const WORKBOOK_MAX_BYTES = IMPORT_UPLOAD_MAX_BYTES;

function readWorkbookFile(file: string): Buffer {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) throw new CliError('not-found', `${file} is not a file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError('not-found', `Cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`);
  }
  if (size > WORKBOOK_MAX_BYTES)
    throw new CliError('too-large', `${file} is larger than ${WORKBOOK_MAX_BYTES / 2 ** 20} MB; it is not imported.`);
  return fs.readFileSync(file);
}

export interface CheckArgs {
  runId: number | 'latest';
  /** `--workbook FILE`: import this .xlsx as a new run first, then check that run. */
  workbook: string | null;
  txtFile: string | null;
  json: boolean;
}

/** Where the check runs: in this process (it holds the database) or in the server that does. */
interface CheckBackend {
  latestRunId(): Promise<number | null>;
  importWorkbook(bytes: Buffer): Promise<ImportSummary>;
  runExists(runId: number): Promise<boolean>;
  start(runId: number): Promise<void>;
  status(runId: number): Promise<RunCheckStatus>;
  results(runId: number): Promise<{ txt: string; doc: CheckJsonDocument }>;
  close(): Promise<void>;
}

async function localBackend(): Promise<CheckBackend> {
  const handle = await openDb({ holder: 'cli' });
  await recoverAfterOpen(handle);
  let worker: WorkerHandle | null = null;
  return {
    async latestRunId() {
      const [r] = await listRuns(handle.db, { limit: 20 });
      return r?.id ?? null;
    },
    async importWorkbook(bytes) {
      // SheetJS and the import code load only on this path.
      const { importWorkbook } = await import('@/server/services/imports');
      return importWorkbook(handle.db, bytes);
    },
    async runExists(runId) {
      return (await getRun(handle.db, runId)) !== null;
    },
    async start(runId) {
      await startRunCheck(handle.db, runId);
      worker = startVtWorker({ db: getDb, idleMs: 500 });
    },
    status: (runId) => runCheckStatus(handle.db, runId),
    async results(runId) {
      const data = await loadRunExport(handle.db, runId);
      if (!data) throw new CliError('not-found', `Run ${runId} does not exist.`);
      return { txt: buildVtResultsTxt(data), doc: buildCheckJson(data) };
    },
    async close() {
      await worker?.stop();
    },
  };
}

/**
 * The server that holds this DATA_DIR answers only to whoever holds its access token; this CLI
 * shares the DATA_DIR, so it reads the token there and sends it as a bearer token.
 */
function remoteBackend(url: string, dataDir: string): CheckBackend {
  const secret = readLocalSecret(dataDir);
  const auth: Record<string, string> = secret ? { authorization: `Bearer ${secret}` } : {};
  const client = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${url}/api/trpc`, transformer: superjson, headers: () => auth })],
  });
  const get = async (p: string) => {
    const res = await fetch(`${url}${p}`, { headers: auth });
    if (!res.ok) throw new CliError('unavailable', `The ProcLens server answered ${res.status} for ${p}.`);
    return res.text();
  };
  return {
    async latestRunId() {
      return (await client.runs.latest.query())?.id ?? null;
    },
    async importWorkbook(bytes) {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(bytes)]), 'workbook.xlsx');
      const res = await fetch(`${url}/api/imports`, { method: 'POST', body: form, headers: auth });
      const body = (await res.json().catch(() => null)) as (ImportSummary & { error?: { message?: string } }) | null;
      if (!res.ok)
        throw new CliError(
          'unavailable',
          body?.error?.message ?? `The ProcLens server answered ${res.status} to the import.`,
        );
      if (!body) throw new CliError('unavailable', 'The ProcLens server answered the import with no result.');
      return body;
    },
    runExists: (runId) =>
      client.runs.byId.query({ runId }).then(
        () => true,
        () => false,
      ),
    async start(runId) {
      await client.vt.check.mutate({ runId });
    },
    status: (runId) => client.vt.status.query({ runId }),
    async results(runId) {
      const [txt, json] = await Promise.all([
        get(`/api/runs/${runId}/vt-results.txt`),
        get(`/api/runs/${runId}/vt-check.json`),
      ]);
      return { txt, doc: JSON.parse(json) as CheckJsonDocument };
    },
    async close() {},
  };
}

async function pickBackend(report: Reporter): Promise<CheckBackend> {
  const env = getEnv();
  if (env.dbMode === 'pglite') {
    const holder = readLock(env.dataDir);
    if (holder?.kind === 'server' && holder.url) {
      report.progress(`a ProcLens server holds the data; checking through it at ${holder.url}`);
      return remoteBackend(holder.url, env.dataDir);
    }
  }
  return localBackend();
}

function formatEta(ms: number | null): string {
  if (ms === null) return '';
  const s = Math.round(ms / 1000);
  return s < 90 ? `, about ${s} s left` : `, about ${Math.round(s / 60)} min left`;
}

export async function runCheck(args: CheckArgs, report: Reporter): Promise<void> {
  let backend: CheckBackend | null = null;
  try {
    const workbook = args.workbook === null ? null : readWorkbookFile(args.workbook);
    backend = await pickBackend(report);
    let imported: ImportSummary | null = null;
    if (workbook) {
      imported = await backend.importWorkbook(workbook);
      report.progress(
        `imported ${args.workbook} as run ${imported.runId} (host ${imported.hostname}): ${imported.processes} processes, ` +
          `${imported.executables} executables by SHA-256, ${imported.md5Only} by MD5 only, ${imported.notHashed} without a hash`,
      );
    }
    const runId = imported ? imported.runId : args.runId === 'latest' ? await backend.latestRunId() : args.runId;
    if (runId === null) throw new CliError('precondition', 'There are no runs yet. Run "proclens collect" first.');
    if (!(await backend.runExists(runId))) throw new CliError('not-found', `Run ${runId} does not exist.`);
    await backend.start(runId);
    let last = '';
    let status: RunCheckStatus;
    for (;;) {
      status = await backend.status(runId);
      const line = `run ${runId}: ${status.checked} of ${status.total} hashes checked, ${status.check?.requestsMade ?? 0} requests${status.failed ? `, ${status.failed} failed` : ''}${formatEta(status.etaMs)}`;
      if (line.replace(/, about .*$/, '') !== last.replace(/, about .*$/, '')) report.progress(line);
      last = line;
      if (status.check?.status !== 'active') break;
      const paused = status.quota.paused;
      if (paused?.reason === 'auth') throw new CliError('unauthenticated', paused.message);
      if (paused?.reason === 'daily') {
        throw new CliError(
          'rate-limited',
          `${paused.message} (${paused.until?.toISOString() ?? 'next UTC midnight'}); ${status.pending} hashes still to check. Run the same command again then.`,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    if (status.check?.status === 'cancelled')
      throw new CliError('conflict', `The check of run ${runId} was cancelled.`);
    const { txt, doc } = await backend.results(runId);
    if (args.txtFile) {
      const file = path.resolve(args.txtFile);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, txt);
      report.progress(`results written: ${file}`);
    }
    if (args.json && imported) {
      // The import's summary, the usual check document, and the run's vt_results.txt lines.
      const lines = txt.split('\n').filter((l) => l !== '');
      report.stdout(JSON.stringify({ import: imported, ...doc, lines }));
    } else if (args.json) report.stdout(JSON.stringify(doc));
    else if (!args.txtFile) report.stdout(txt.trimEnd());
    if (status.failed > 0) {
      throw new CliError(
        'unavailable',
        `${status.failed} of ${status.total} hashes could not be checked (see the trailing section of the results); retry with the same command.`,
      );
    }
  } finally {
    await backend?.close();
    await closeDb();
  }
}
