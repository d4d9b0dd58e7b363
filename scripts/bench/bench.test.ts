import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdownHashPool } from '@/server/services/processes';
import { fileIdentityKey, type FileHashes, type HashCacheStore } from '@/server/services/processes/types';
import { routeFirstLoadJs } from './js-size';
import { errorLine, formatTable, line, meets, summarize } from './report';
import { parseArgs } from './run';
import { median } from './stats';
import { measureWarm, warmLine } from './warm';

/**
 * Proves `npm run bench` works without running it: the pure parts (ratios, targets, the table,
 * flags, manifest reading) and one tiny real measurement (warm collection vs bare /proc, once).
 */
afterAll(async () => {
  await shutdownHashPool();
});

describe('bench report', () => {
  it('derives the ratio from figure and baseline, and judges the target on it', () => {
    const cold = (seconds: number) =>
      line({
        bench: 'cold',
        name: 'x',
        figure: { value: seconds, unit: 's' },
        baseline: { value: 2, unit: 's', label: 'coreutils' },
        target: { on: 'ratio', op: '<=', value: 0.6 },
      });
    expect(cold(0.5).ratio).toBe(0.25);
    expect(cold(0.5).status).toBe('PASS');
    expect(cold(1.5).status).toBe('MISS');
  });

  it('judges absolute targets on the figure, and lines without a target are INFO', () => {
    const base = { bench: 'dashboard', name: 'sort', baseline: { value: 20, unit: 'ms', label: '20 rows' } };
    expect(
      line({ ...base, figure: { value: 99, unit: 'ms' }, target: { on: 'figure', op: '<', value: 100 } }).status,
    ).toBe('PASS');
    expect(
      line({ ...base, figure: { value: 100, unit: 'ms' }, target: { on: 'figure', op: '<', value: 100 } }).status,
    ).toBe('MISS');
    expect(line({ ...base, figure: { value: 100, unit: 'ms' }, target: null }).status).toBe('INFO');
    expect(
      line({ bench: 'hosted', name: 'h', figure: null, baseline: null, target: null, status: 'SKIP' }).status,
    ).toBe('SKIP');
  });

  it('treats a missing or non-finite measurement as a miss, never a pass', () => {
    expect(meets(null, { on: 'ratio', op: '<=', value: 2 })).toBe(false);
    expect(meets(Number.NaN, { on: 'ratio', op: '>=', value: 0 })).toBe(false);
    const l = line({
      bench: 'w',
      name: 'w',
      figure: { value: 1, unit: 'ms' },
      baseline: { value: 0, unit: 'ms', label: 'zero' },
      target: { on: 'ratio', op: '<=', value: 2 },
    });
    expect(l.ratio).toBeNull();
    expect(l.status).toBe('MISS');
  });

  it('prints a Markdown table whose cells cannot break the row', () => {
    const lines = [
      line({
        bench: 'vt',
        name: 'a | b',
        figure: { value: 591.4, unit: 'req/min' },
        baseline: { value: 600, unit: 'req/min', label: 'configured' },
        target: { on: 'ratio', op: '>=', value: 0.95 },
      }),
      errorLine('dashboard', new Error('boom\nstack')),
    ];
    const table = formatTable(lines).split('\n');
    expect(table[0]).toBe('| Benchmark | Figure | Baseline | Ratio | Target | Status |');
    expect(table[2]).toBe('| a \\| b | 591 req/min | 600 req/min (configured) | 0.99× | ≥ 0.95× | PASS |');
    expect(table[3]).toContain('| ERROR |');
    expect(summarize(lines)).toMatchObject({ PASS: 1, ERROR: 1, MISS: 0 });
  });

  it('takes medians and parses the flags', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([Number.NaN, 2])).toBe(2);
    expect(parseArgs(['--quick', '--only', 'warm,vt'])).toEqual({ quick: true, only: ['warm', 'vt'], help: false });
    expect(parseArgs(['--only=cold'])).toMatchObject({ only: ['cold'] });
    expect(() => parseArgs(['--fast'])).toThrow(/unknown argument/);
  });
});

describe('first-load JS from the build manifests', () => {
  it('sums the root main files and every segment chunk of the route once, gzipped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-bench-test-'));
    try {
      const chunk = (name: string, body: string) => {
        fs.mkdirSync(path.join(dir, 'static', 'chunks'), { recursive: true });
        fs.writeFileSync(path.join(dir, 'static', 'chunks', name), body);
      };
      chunk('main.js', 'x'.repeat(5000));
      chunk('page.js', 'y'.repeat(3000));
      chunk('poly.js', 'z'.repeat(9000));
      fs.writeFileSync(
        path.join(dir, 'build-manifest.json'),
        JSON.stringify({ rootMainFiles: ['static/chunks/main.js'], polyfillFiles: ['static/chunks/poly.js'] }),
      );
      const manifestDir = path.join(dir, 'server', 'app', 'runs', '[runId]');
      fs.mkdirSync(manifestDir, { recursive: true });
      const entry = {
        entryJSFiles: {
          '[project]/app/layout': ['static/chunks/main.js'],
          '[project]/app/runs/[runId]/page': ['static/chunks/page.js'],
        },
      };
      fs.writeFileSync(
        path.join(manifestDir, 'page_client-reference-manifest.js'),
        `globalThis.__RSC_MANIFEST = globalThis.__RSC_MANIFEST || {};\nglobalThis.__RSC_MANIFEST["/runs/[runId]/page"] = ${JSON.stringify(entry)};`,
      );
      const r = routeFirstLoadJs(dir, '/runs/[runId]');
      expect(r.files.map((f) => f.file)).toEqual(['static/chunks/main.js', 'static/chunks/page.js']);
      expect(r.bytes).toBe(8000);
      expect(r.gzip).toBeGreaterThan(0);
      expect(r.gzip).toBeLessThan(r.bytes);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(process.platform === 'linux')('a tiny real benchmark', () => {
  it('times a warm collection against bare /proc enumeration', async () => {
    // Every file is "already hashed", so this is exactly the warm path, with no hashing at all.
    const fake: FileHashes = { md5: '0'.repeat(32), sha1: '0'.repeat(40), sha256: '0'.repeat(64), size: 1 };
    const allHits: HashCacheStore = {
      getMany: async (_host, ids) => new Map(ids.map((id) => [fileIdentityKey(id), fake])),
      putMany: async () => undefined,
    };
    const samples = await measureWarm(allHits, 1);
    expect(samples.proclensMs).toHaveLength(1);
    expect(samples.bareMs).toHaveLength(1);
    expect(samples.lastStats?.hashedFiles).toBe(0);
    expect(samples.lastStats?.totalProcesses).toBeGreaterThan(0);
    const l = warmLine(samples, 1);
    expect(l.ratio).toBeGreaterThan(0);
    expect(['PASS', 'MISS']).toContain(l.status);
  });
});
