import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Everything the bench starts is registered here and removed on the way out: normal end, an
 * exception, Ctrl-C or SIGTERM. Children run in their own process group (`detached`), so one
 * kill(-pgid) also reaches what they forked (the 2,000 `sleep`s of the scale bench).
 */
const groups = new Set<number>();
const dirs = new Set<string>();
let installed = false;

function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/** Synchronous, so it also works from the 'exit' event. */
export function cleanupAll(): void {
  for (const pgid of groups) killGroup(pgid);
  groups.clear();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
}

export function installCleanupHandlers(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanupAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}: stopping children and removing temp files\n`);
      cleanupAll();
      process.exit(128 + (os.constants.signals[signal] ?? 0));
    });
  }
}

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.add(dir);
  return dir;
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

export interface Group {
  child: ChildProcess;
  pgid: number;
  exited: Promise<number | null>;
  /** SIGKILL to the whole group; resolves when the leader has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Spawns a process as the leader of a new process group and registers the group. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): Group {
  const child = spawn(command, args, { stdio: 'ignore', ...options, detached: true });
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pgid = child.pid;
  groups.add(pgid);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });
  return {
    child,
    pgid,
    exited,
    async kill(signal = 'SIGKILL') {
      killGroup(pgid, signal);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (signal !== 'SIGKILL') killGroup(pgid, 'SIGKILL');
      // Members die asynchronously; wait (bounded) so the next benchmark starts on a calm /proc.
      const deadline = Date.now() + 10_000;
      while (pidsInGroup(pgid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      groups.delete(pgid);
    },
  };
}

/** PIDs whose process group is `pgid` (read from /proc/PID/stat). */
export function pidsInGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'latin1');
      // Fields after the last ')' : state ppid pgrp ...
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[2]) === pgid) out.push(Number(entry));
    } catch {
      /* exited */
    }
  }
  return out;
}
