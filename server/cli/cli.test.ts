import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { cli as run } from '@/tests/cli';
import { migratedDataDir, tempDataDir } from '@/tests/helpers';
import { PROCESS_JSON_KEYS } from '@/tests/json-contract';

const cli = (args: string[], dataDir: string) => run(args, { DATA_DIR: dataDir });

describe('proclens CLI', () => {
  it('collect --json prints the documented document and stores the run', async () => {
    const dataDir = tempDataDir();
    const r = await cli(['collect', '--json'], dataDir);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['run', 'processes']);
    expect(doc.run.id).toBeGreaterThan(0);
    expect(typeof doc.run.host).toBe('string');
    expect(new Date(doc.run.startedAt).toString()).not.toBe('Invalid Date');
    const self = doc.processes.find((p: { pid: number }) => p.pid > 0 && p.pid !== 1);
    expect(Object.keys(self)).toEqual(PROCESS_JSON_KEYS);
    // Progress went to stderr, stdout is only the document.
    expect(r.stderr).toMatch(/proclens:/);
    // The store is the same database the server would open: a second run is warm.
    const again = await cli(['collect', '--json'], dataDir);
    expect(JSON.parse(again.stdout).run.id).toBe(doc.run.id + 1);
  });

  it('collect --no-store --out writes the workbook and stores nothing', async () => {
    const dataDir = tempDataDir();
    const out = path.join(dataDir, 'exports');
    const r = await cli(['collect', '--no-store', '--out', out, '--min-memory', '0.1'], dataDir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Collected \(not stored\): \d+ processes kept of \d+/);
    const files = fs.readdirSync(out);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^All_process_hash_real_time_\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}\.xlsx$/);
    const wb = XLSX.read(fs.readFileSync(path.join(out, files[0]!)));
    const rows = XLSX.utils.sheet_to_json<Record<string, number>>(wb.Sheets.Processes!);
    expect(rows.every((row) => row['Memory %']! >= 0.1)).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);
  });

  it('two CLIs on one data directory both finish (the second waits for the lock)', async () => {
    const dataDir = await migratedDataDir();
    const [a, b] = await Promise.all([cli(['collect', '--json'], dataDir), cli(['collect', '--json'], dataDir)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const ids = [JSON.parse(a.stdout).run.id, JSON.parse(b.stdout).run.id].sort();
    expect(ids).toEqual([1, 2]);
  });

  it('bad arguments exit non-zero with a one-line reason', async () => {
    const dataDir = tempDataDir();
    for (const args of [['collect', '--min-memory', 'lots'], ['collect', '--frobnicate'], ['explode']]) {
      const r = await cli(args, dataDir);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^proclens: /);
    }
    const bad = await run(['collect'], { PORT: 'x', DATA_DIR: dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/PORT/);
  });
});
