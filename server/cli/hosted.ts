import 'server-only';
import { closeDb, openDb, type Db } from '@/db';
import { listRuns } from '@/db/queries/runs';
import { OPERATOR_OWNER_LABEL, TOKEN_STATUS_LABEL } from '@/domain/agent-tokens';
import {
  agentTokenList,
  createAgentToken,
  reassignAgentTokenTo,
  revokeAgentTokenByName,
} from '@/server/auth/agent-tokens';
import { createPerson } from '@/server/auth/users';
import { getEnv } from '@/lib/env';
import { fleetHosts, prevalence } from '@/server/services/fleet';
import type { Reporter } from './output';
import { readPassword } from './password';
import { preferQuickWasmStart } from './short-lived-wasm';

/**
 * Team commands: people, agent tokens and the fleet views, straight against the database. Each
 * lives about a second, so an embedded database starts on V8's baseline compiler (short-lived-wasm.ts).
 */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  if (getEnv().dbMode === 'pglite') preferQuickWasmStart();
  try {
    const handle = await openDb({ holder: 'cli' });
    return await fn(handle.db);
  } finally {
    await closeDb();
  }
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function runCreateUser(
  args: { email: string; role: string; name: string | null },
  report: Reporter,
): Promise<void> {
  const password = getEnv().PROCLENS_PASSWORD ?? (await readPassword());
  await withDb(async () => {
    const u = await createPerson({ email: args.email, role: args.role, password, name: args.name ?? undefined });
    report.progress(`created ${u.email} with role ${u.role}`);
  });
}

export async function runTokenCreate(name: string, report: Reporter): Promise<void> {
  await withDb(async (db) => {
    const t = await createAgentToken(db, name, 'cli');
    report.progress(`token "${t.name}" created (prefix ${t.prefix}). It is shown this once: store it now.`);
    report.stdout(t.token);
  });
}

export async function runTokenList(json: boolean, report: Reporter): Promise<void> {
  const tokens = await withDb((db) => agentTokenList(db));
  const rows = tokens.map((t) => ({
    name: t.name,
    prefix: t.prefix,
    createdAt: iso(t.createdAt),
    createdBy: t.createdBy,
    owner: t.owner,
    status: t.status,
    lastUsedAt: iso(t.lastUsedAt),
    revokedAt: iso(t.revokedAt),
  }));
  if (json) return report.stdout(JSON.stringify({ tokens: rows }));
  if (!rows.length) return report.stdout('No agent tokens yet. Create one with: proclens token create --name NAME');
  report.stdout(
    table([
      ['NAME', 'PREFIX', 'OWNER', 'CREATED', 'LAST USED', 'STATUS'],
      ...rows.map((t) => [
        t.name,
        t.prefix,
        t.owner ?? OPERATOR_OWNER_LABEL,
        t.createdAt ?? '',
        t.lastUsedAt ?? 'never',
        t.revokedAt ? `revoked ${t.revokedAt}` : TOKEN_STATUS_LABEL[t.status].toLowerCase(),
      ]),
    ]),
  );
}

export async function runTokenReassign(name: string, email: string, report: Reporter): Promise<void> {
  await withDb((db) => reassignAgentTokenTo(db, name, email));
  report.progress(`token "${name}" now belongs to ${email.trim().toLowerCase()}; it works while they are an admin`);
}

export async function runTokenRevoke(name: string, report: Reporter): Promise<void> {
  await withDb((db) => revokeAgentTokenByName(db, name));
  report.progress(`token "${name}" revoked; agents using it are refused from now on`);
}

export async function runHosts(json: boolean, report: Reporter): Promise<void> {
  const hosts = await withDb((db) => fleetHosts(db));
  const rows = hosts.map((h) => ({
    hostname: h.hostname,
    hostKey: h.hostKey,
    platform: h.platform,
    lastSeenAt: iso(h.lastSeenAt),
    agentVersion: h.agentVersion,
    processes: h.processes,
    executables: h.executables,
    malicious: h.malicious,
    needsResearch: h.needsResearch,
    lastRunId: h.lastRunId,
  }));
  if (json) return report.stdout(JSON.stringify({ hosts: rows }));
  if (!rows.length)
    return report.stdout('No hosts yet. Collect a run, or start an agent: proclens agent --server URL --token TOKEN');
  report.stdout(
    table([
      ['HOST', 'LAST SEEN', 'AGENT', 'PROCESSES', 'MALICIOUS', 'NEEDS RESEARCH'],
      ...rows.map((h) => [
        h.hostname,
        h.lastSeenAt ?? '',
        h.agentVersion ?? '—',
        String(h.processes),
        String(h.malicious),
        String(h.needsResearch),
      ]),
    ]),
  );
}

export async function runPrevalence(
  args: { maxHosts: number | undefined; json: boolean },
  report: Reporter,
): Promise<void> {
  const rows = await withDb((db) =>
    prevalence(db, { sort: 'hosts', maxHosts: args.maxHosts, since: null, limit: 1_000_000 }),
  );
  const hashes = rows.map((r) => ({
    sha256: r.sha256,
    md5: r.md5,
    sha1: r.sha1,
    hosts: r.hosts,
    processes: r.processes,
    names: r.names,
    paths: r.paths,
    vtScore: r.vtScore,
    verdict: r.verdict,
  }));
  if (args.json) return report.stdout(JSON.stringify({ hashes }));
  if (!hashes.length) return report.stdout('No executables yet.');
  report.stdout(
    table([
      ['HOSTS', 'PROCESSES', 'VTSCORE', 'VERDICT', 'SHA-256', 'NAMES'],
      ...hashes.map((h) => [
        String(h.hosts),
        String(h.processes),
        h.vtScore === null ? '—' : String(h.vtScore),
        h.verdict ?? 'unchecked',
        h.sha256,
        h.names.join(', '),
      ]),
    ]),
  );
}

export async function runRuns(args: { host: string | null; json: boolean }, report: Reporter): Promise<void> {
  const runs = await withDb((db) => listRuns(db, { limit: 500, host: args.host ?? undefined }));
  const rows = runs.map((r) => ({
    id: r.id,
    host: r.hostname,
    source: r.source,
    status: r.status,
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    processCount: r.processCount,
    distinctExecutables: r.distinctExecutables,
  }));
  if (args.json) return report.stdout(JSON.stringify({ runs: rows }));
  if (!rows.length) return report.stdout(args.host ? `No runs for host "${args.host}".` : 'No runs yet.');
  report.stdout(
    table([
      ['ID', 'HOST', 'STARTED', 'SOURCE', 'STATUS', 'PROCESSES', 'EXECUTABLES'],
      ...rows.map((r) => [
        String(r.id),
        r.host,
        r.startedAt ?? '',
        r.source,
        r.status,
        String(r.processCount),
        String(r.distinctExecutables),
      ]),
    ]),
  );
}
