import { describe, expect, it } from 'vitest';
import { INT32_MAX, TEXT_MAX } from './limits';
import {
  blankProcess,
  budgetOf,
  JSON_PROCESS_FIELDS,
  PROCESS_COLUMN_LAYOUT,
  PROCESS_FACTS,
  processSchema,
  toProcessView,
  VT_COLUMNS_SLOT,
} from './process';
import { socketSchema } from './socket';

const linuxProcess = {
  pid: 4242,
  ppid: 1,
  name: 'sshd',
  user: 'root',
  state: 'S',
  startedAt: '2026-11-24T10:00:00.000Z',
  rssBytes: 8_000_000,
  memoryPercent: 0.1,
  cpuPercent: 0.2,
  cmdline: '/usr/sbin/sshd -D',
  exe: '/usr/sbin/sshd',
  exeStatus: 'ok',
  exeError: null,
  hashes: { md5: 'a'.repeat(32), sha1: 'b'.repeat(40), sha256: 'c'.repeat(64), size: 1000 },
};

describe('the process schema (domain/process.ts)', () => {
  it("reads an older collector's process (no effective user, package, integrity, badges) as not recorded", () => {
    const p = processSchema.parse(linuxProcess);
    expect(p).toMatchObject({ effectiveUser: null, package: null, integrity: null, heuristics: [] });
    expect(p.startedAt).toEqual(new Date('2026-11-24T10:00:00.000Z'));
  });

  it('keeps the budgets of domain/limits, with the sentences the snapshot answers with', () => {
    expect(budgetOf('name')).toBe(TEXT_MAX.processName);
    expect(budgetOf('user')).toBe(TEXT_MAX.user);
    expect(budgetOf('effectiveUser')).toBe(TEXT_MAX.user);
    expect(budgetOf('exe')).toBe(TEXT_MAX.path);
    expect(budgetOf('pid')).toBe(INT32_MAX);
    expect(budgetOf('memoryPercent')).toBe(100);
    const nul = processSchema.safeParse({ ...linuxProcess, name: 'a\u0000b' });
    expect(nul.error?.issues[0]).toMatchObject({ path: ['name'], message: 'must not contain a NUL character' });
    const long = processSchema.safeParse({ ...linuxProcess, effectiveUser: 'u'.repeat(TEXT_MAX.user + 1) });
    expect(long.error?.issues[0]?.message).toBe(`must be at most ${TEXT_MAX.user} characters`);
  });

  it('starts a blank process that is itself valid, with its own badge list', () => {
    const a = blankProcess('unknown');
    const b = blankProcess('kernel-thread');
    expect(processSchema.parse(a)).toEqual(a);
    expect(a).toMatchObject({ exeStatus: 'unknown', name: '', exe: null, pid: 0, heuristics: [], startedAt: null });
    expect(b.exeStatus).toBe('kernel-thread');
    a.heuristics.push('setuid');
    expect(b.heuristics).toEqual([]);
    expect(Object.keys(a).sort()).toEqual(Object.keys(processSchema.shape).sort());
  });

  it('lays every field it shows out once: the JSON fields and the columns exist on a process', () => {
    const view = toProcessView(processSchema.parse(linuxProcess));
    for (const f of JSON_PROCESS_FIELDS) expect(view, f).toHaveProperty(f);
    const columns = PROCESS_COLUMN_LAYOUT.filter((c) => c !== VT_COLUMNS_SLOT);
    for (const c of columns) if (c.field) expect(view, c.header).toHaveProperty(c.field);
    expect(new Set(columns.map((c) => c.header)).size).toBe(columns.length);
    expect(PROCESS_FACTS).not.toContain('hashes');
  });
});

describe('the socket schema (for the watch issue)', () => {
  const tcp = {
    protocol: 'tcp',
    localAddress: '10.0.0.5',
    localPort: 22,
    remoteAddress: '10.0.0.9',
    remotePort: 51234,
    state: 'ESTABLISHED',
  };

  it('takes TCP sockets with a kernel state and UDP sockets without one', () => {
    expect(socketSchema.parse(tcp)).toEqual(tcp);
    const udp = { ...tcp, protocol: 'udp6', localAddress: '::1', remoteAddress: '::', remotePort: 0, state: null };
    expect(socketSchema.parse(udp)).toEqual(udp);
  });

  it('refuses a UDP state, a stateless TCP socket, a port out of range and an oversized address', () => {
    expect(socketSchema.safeParse({ ...tcp, protocol: 'udp' }).success).toBe(false);
    expect(socketSchema.safeParse({ ...tcp, state: null }).success).toBe(false);
    expect(socketSchema.safeParse({ ...tcp, state: 'established' }).success).toBe(false);
    expect(socketSchema.safeParse({ ...tcp, localPort: 65_536 }).success).toBe(false);
    expect(socketSchema.safeParse({ ...tcp, remoteAddress: 'x'.repeat(TEXT_MAX.address + 1) }).success).toBe(false);
  });
});
