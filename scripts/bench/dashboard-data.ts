import { blankProcess } from '@/domain/process';
import type { Snapshot } from '@/server/services/runs/snapshot';
import { fakeHashes, makeSnapshot } from '@/tests/fixtures';

/**
 * A large run with hostile-ish, varied text: markup, spreadsheet formulas, bidi overrides, control
 * characters, emoji, very long names and paths. Deterministic (a fixed LCG), so every run of the
 * bench renders the same table.
 */
const NAMES = [
  'nginx',
  'postgres',
  'chromium',
  'node',
  'python3',
  'bash',
  'sshd',
  'systemd-journal',
  'kworker/0:1-events',
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http://x","y")',
  "+cmd|' C calc'!A0",
  'rtl\u202Eexe.txt',
  'emoji-🔥-proc',
  'tab\there',
  'zero\u200bwidth',
  `long-${'x'.repeat(240)}`,
  '../../etc/passwd',
  'name with spaces',
  '"quoted" & <b>bold</b>',
  'ümlaut-Ω-名前',
  '\u001b[31mred\u001b[0m',
];
const USERS = ['root', 'alice', 'bob', 'www-data', 'postgres', '<b>mallory</b>', 'svc-\u202Etxt'];
const DIRS = [
  '/usr/bin',
  '/usr/sbin',
  '/opt/app-%/bin',
  '/tmp/<script>alert(1)</script>',
  '/home/alice/.cache/%',
  `/srv/${'deep/'.repeat(30)}%`,
];

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function hostileSnapshot(n: number, distinct: number): Snapshot {
  const rand = lcg(20261124);
  const base = makeSnapshot({ n: 1, distinct: 1, hostKey: 'bench-dashboard', hostname: 'bench-host' });
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const processes: Snapshot['processes'] = [];
  for (let i = 0; i < n; i++) {
    const k = i % distinct;
    const name = `${NAMES[k % NAMES.length]}${k >= NAMES.length ? `-${k}` : ''}`;
    const exe = `${(DIRS[k % DIRS.length] as string).replace('%', String(k))}/${name}`;
    const rssBytes = Math.floor(rand() ** 3 * 2e9);
    const common = {
      ...blankProcess('ok'),
      pid: 1000 + i,
      ppid: i < 10 ? 1 : 1000 + Math.floor(rand() * i),
      name,
      user: pick(USERS),
      state: pick(['S', 'R', 'D', 'Z', 'I']),
      startedAt: new Date(Date.UTC(2026, 10, 24, 10, 0, 0) - Math.floor(rand() * 86_400_000)),
      rssBytes,
      memoryPercent: Math.min(100, (rssBytes / (8 * 1024 ** 3)) * 100),
      cpuPercent: rand() * 50,
      cmdline: `${exe} --worker=${i} --config "/etc/${name}.conf" ${'--flag '.repeat(i % 7)}`.trim(),
    };
    if (i % 53 === 0) {
      processes.push({ ...common, cmdline: '', exe: null, exeStatus: 'kernel-thread', exeError: null, hashes: null });
    } else if (i % 97 === 0) {
      processes.push({
        ...common,
        exe: null,
        exeStatus: 'permission-denied',
        exeError: 'EACCES: no access to /proc/PID/exe',
        hashes: null,
      });
    } else {
      processes.push({ ...common, exe, exeStatus: 'ok', exeError: null, hashes: fakeHashes(`bench-exe-${k}`) });
    }
  }
  return {
    ...base,
    stats: { ...base.stats, totalProcesses: n, processCount: n, distinctExecutables: distinct, hashedFiles: distinct },
    processes,
  };
}

/** Filter terms that each match a strict subset of the hostile run (so the row count changes). */
export const FILTER_TERMS = ['postgres', 'alice', '/opt/app-', 'onerror', 'emoji'];
