import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { getEnv } from '@/lib/env';
import { openFileHashCache } from '@/server/services/agent/file-hash-cache';
import { ingestUrl, pushSnapshot } from '@/server/services/agent/push';
import { openSpool, type Spool } from '@/server/services/agent/spool';
import { collectProcesses, shutdownHashPool } from '@/server/services/processes';
import { CachedPackageIndex, PACKAGE_CACHE_FILE } from '@/server/services/processes/package-cache';
import { CliError, type Reporter } from './output';

/**
 * `proclens agent`: collects with the same collector as the server, pushes the snapshot to a hosted
 * ProcLens, and keeps what the server could not take yet in a bounded spool. No database here.
 */
export interface AgentArgs {
  server: string;
  token: string;
  intervalMs: number;
  minMemoryPercent: number;
  hostName: string | null;
  once: boolean;
}

export const TOKEN_REJECTED = 'token invalid or revoked';
const ONCE_RETRIES_MS = [1_000, 2_000, 4_000];
const MAX_BACKOFF_MS = 5 * 60_000;

function agentVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(getEnv().projectRoot, 'package.json'), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });

/** Sends every spooled snapshot, oldest first. True when the spool is empty afterwards. */
async function flush(spool: Spool, url: string, token: string, report: Reporter): Promise<boolean> {
  for (const item of spool.list()) {
    const outcome = await pushSnapshot(url, token, spool.read(item.file));
    switch (outcome.kind) {
      case 'stored':
        spool.remove(item.file);
        report.progress(
          outcome.replayed
            ? `snapshot ${item.snapshotId} was already stored (run ${outcome.runId})`
            : `snapshot stored as run ${outcome.runId}`,
        );
        break;
      case 'unauthorized':
        throw new CliError(
          'unauthenticated',
          `${TOKEN_REJECTED} (the server answered 401/403); snapshots stay in the spool.`,
          3,
        );
      case 'rejected':
        // Sending it again would be refused again; keeping it would block everything behind it.
        spool.remove(item.file);
        report.progress(`the server refused snapshot ${item.snapshotId} (${outcome.status}): ${outcome.message}`);
        break;
      case 'unavailable':
        report.progress(`server unavailable (${outcome.message}); ${spool.size()} snapshot(s) wait in the spool`);
        return false;
    }
  }
  return true;
}

async function collectIntoSpool(args: AgentArgs, spool: Spool, report: Reporter): Promise<void> {
  const env = getEnv();
  const cache = openFileHashCache(env.agentStateDir);
  const result = await collectProcesses({
    minMemoryPercent: args.minMemoryPercent,
    hashCache: cache,
    // Beside the hash cache: an unchanged host reads no dpkg list, only stats them.
    packageIndex: new CachedPackageIndex(path.join(env.agentStateDir, PACKAGE_CACHE_FILE)),
    maxFileBytes: env.HASH_MAX_FILE_MB * 1024 * 1024,
    workers: env.hashWorkers,
  });
  cache.save();
  // --host-name reports this machine as another host (containers, tests): its own key too.
  const host = args.hostName
    ? { ...result.host, hostname: args.hostName, hostKey: `name:${args.hostName}` }
    : result.host;
  const snapshotId = crypto.randomUUID();
  const body = JSON.stringify({
    ...result,
    host,
    minMemoryPercent: args.minMemoryPercent,
    snapshotId,
    agentVersion: agentVersion(),
  });
  for (const lost of spool.add(snapshotId, body)) report.progress(`spool full: dropped the oldest snapshot ${lost}`);
  report.progress(
    `collected ${result.stats.processCount} processes on ${host.hostname} (${result.stats.durationMs} ms)`,
  );
}

export async function runAgent(args: AgentArgs, report: Reporter): Promise<void> {
  const env = getEnv();
  let url: string;
  try {
    url = ingestUrl(args.server);
  } catch (e) {
    throw new CliError('bad-input', `--server ${(e as Error).message}, e.g. https://proclens.example.org`);
  }
  const spool = openSpool(env.agentStateDir, {
    maxFiles: env.AGENT_SPOOL_MAX_FILES,
    maxBytes: env.AGENT_SPOOL_MAX_MB * 1024 * 1024,
  });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (args.once) {
      await collectIntoSpool(args, spool, report);
      for (const wait of [...ONCE_RETRIES_MS, null]) {
        if (await flush(spool, url, args.token, report)) return;
        if (wait === null) break;
        await sleep(wait, stop.signal);
      }
      throw new CliError(
        'unavailable',
        `the server at ${new URL(url).origin} did not take the snapshot; ${spool.size()} snapshot(s) wait in ${env.agentStateDir}/spool for the next run.`,
      );
    }
    report.progress(`agent started: every ${Math.round(args.intervalMs / 1000)} s to ${new URL(url).origin}`);
    while (!stop.signal.aborted) {
      const due = Date.now() + args.intervalMs;
      await collectIntoSpool(args, spool, report);
      let backoff = 5_000;
      while (!stop.signal.aborted && !(await flush(spool, url, args.token, report)) && Date.now() + backoff < due) {
        // Exponential back-off with jitter so a fleet does not hammer a server coming back.
        await sleep(backoff * (0.5 + Math.random() / 2), stop.signal);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
      await sleep(Math.max(0, due - Date.now()), stop.signal);
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await shutdownHashPool();
  }
}
