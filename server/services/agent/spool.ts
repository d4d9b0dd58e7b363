import 'server-only';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Snapshots the server has not taken yet, one file each, oldest first. Bounded by file count and
 * bytes: when full, the oldest snapshot goes (and is reported), so a long outage never fills the disk.
 */
export interface Spool {
  /** Adds a snapshot; returns the ids dropped to stay within bounds. */
  add(snapshotId: string, body: string): string[];
  /** Waiting snapshots, oldest first. */
  list(): Array<{ snapshotId: string; file: string }>;
  read(file: string): string;
  remove(file: string): void;
  size(): number;
}

export function openSpool(stateDir: string, limits: { maxFiles: number; maxBytes: number }): Spool {
  const dir = path.join(stateDir, 'spool');
  let seq = 0;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const list = () =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({ snapshotId: f.replace(/^\d+-/, '').replace(/\.json$/, ''), file: path.join(dir, f) }));
  const bytes = (files: Array<{ file: string }>) =>
    files.reduce((s, f) => s + (fs.statSync(f.file, { throwIfNoEntry: false })?.size ?? 0), 0);
  return {
    add(snapshotId, body) {
      // The time prefix keeps delivery in collection order.
      const name = `${String(Date.now()).padStart(15, '0')}${String(seq++ % 1000).padStart(3, '0')}-${snapshotId}.json`;
      const tmp = path.join(dir, `.${name}.tmp`);
      fs.writeFileSync(tmp, body, { mode: 0o600 });
      fs.renameSync(tmp, path.join(dir, name));
      const dropped: string[] = [];
      const files = list();
      while (files.length > 1 && (files.length > limits.maxFiles || bytes(files) > limits.maxBytes)) {
        const oldest = files.shift()!;
        fs.rmSync(oldest.file, { force: true });
        dropped.push(oldest.snapshotId);
      }
      return dropped;
    },
    list,
    read: (file) => fs.readFileSync(file, 'utf8'),
    remove: (file) => fs.rmSync(file, { force: true }),
    size: () => list().length,
  };
}
