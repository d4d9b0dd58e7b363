import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  classifyExeLink,
  isKernelThread,
  parseAuxv,
  parseBootTime,
  parseCmdline,
  parseMemTotalBytes,
  parsePasswd,
  parseStat,
  parseStatusUid,
  parseUptime,
  PF_KTHREAD,
} from './proc-parse';

// Fields 3..52 of a real /proc/PID/stat line; only the comm varies between cases.
const TAIL =
  'S 1234 4321 4321 34816 4321 4194560 120 0 0 0 7 3 0 0 20 0 1 0 98765 9437184 512 ' +
  '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0';

describe('parseStat', () => {
  it('reads comm between the first "(" and the last ")" even when it contains ") "', () => {
    const stat = parseStat(`4242 ((a) b)) ${TAIL}\n`);
    expect(stat).toEqual({
      pid: 4242,
      comm: '(a) b)',
      state: 'S',
      ppid: 1234,
      flags: 4194560,
      utime: 7,
      stime: 3,
      starttime: 98765,
      rssPages: 512,
    });
  });

  it('keeps spaces and parentheses in comm without shifting later fields', () => {
    const stat = parseStat(`7 (tmux: server (x)) ${TAIL}`);
    expect(stat?.comm).toBe('tmux: server (x)');
    expect(stat?.ppid).toBe(1234);
    expect(stat?.rssPages).toBe(512);
  });

  it('rejects truncated or garbled lines instead of inventing numbers', () => {
    expect(parseStat('')).toBeNull();
    expect(parseStat('12 (x) S 1 2 3')).toBeNull();
    expect(parseStat('no parens here')).toBeNull();
  });
});

describe('parseStatusUid', () => {
  it('returns the real uid, the first of the four', () => {
    const status = 'Name:\tsu\nUmask:\t0022\nState:\tS (sleeping)\nUid:\t1000\t0\t0\t0\nGid:\t1000\t0\t0\t0\n';
    expect(parseStatusUid(status)).toBe(1000);
  });

  it('returns null when the line is missing', () => {
    expect(parseStatusUid('Name:\tx\n')).toBeNull();
  });
});

describe('parsePasswd', () => {
  it('maps uids to names, skipping comments and broken lines, first entry winning', () => {
    const users = parsePasswd(
      [
        'root:x:0:0:root:/root:/bin/bash',
        '# comment',
        '',
        'broken-line',
        'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
        'alice:x:1000:1000:Alice,,,:/home/alice:/bin/bash',
        'alias:x:1000:1000::/home/alias:/bin/sh',
      ].join('\n'),
    );
    expect(users.get(0)).toBe('root');
    expect(users.get(1)).toBe('daemon');
    expect(users.get(1000)).toBe('alice');
    expect(users.size).toBe(3);
  });
});

describe('small /proc files', () => {
  it('reads MemTotal in bytes', () => {
    expect(parseMemTotalBytes('MemTotal:       24684092 kB\nMemFree:        23996952 kB\n')).toBe(24684092 * 1024);
    expect(parseMemTotalBytes('MemFree: 1 kB\n')).toBeNull();
  });

  it('reads btime and uptime', () => {
    expect(parseBootTime('cpu  1 2 3\nctxt 5\nbtime 1795524140\nprocesses 9\n')).toBe(1795524140);
    expect(parseUptime('1234.56 2000.00\n')).toBe(1234.56);
  });
});

describe('parseCmdline', () => {
  const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

  it('turns NUL separators into spaces and drops the trailing NUL', () => {
    expect(parseCmdline(bytes('/usr/bin/python3\0-m\0http.server\0'))).toBe('/usr/bin/python3 -m http.server');
  });

  it('is empty for kernel threads', () => {
    expect(parseCmdline(new Uint8Array())).toBe('');
  });

  it('keeps argument text with spaces intact', () => {
    expect(parseCmdline(bytes('sh\0-c\0echo a b\0'))).toBe('sh -c echo a b');
  });

  it('bounds very long command lines and marks the cut', () => {
    const long = parseCmdline(bytes(`java\0-cp\0${'x'.repeat(10_000)}\0`), 100);
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('classifyExeLink', () => {
  it('passes a normal path through', () => {
    expect(classifyExeLink('/usr/bin/bash')).toEqual({ status: 'ok', exe: '/usr/bin/bash' });
  });

  it('recognises a deleted or replaced file and strips the marker', () => {
    expect(classifyExeLink('/tmp/x/pl-sleep (deleted)')).toEqual({ status: 'deleted', exe: '/tmp/x/pl-sleep' });
  });

  it('recognises memfd, with or without the deleted marker', () => {
    expect(classifyExeLink('/memfd:payload (deleted)')).toEqual({ status: 'memfd', exe: '/memfd:payload' });
    expect(classifyExeLink('/memfd:payload')).toEqual({ status: 'memfd', exe: '/memfd:payload' });
  });

  it('does not mistake "deleted" inside a name for the marker', () => {
    expect(classifyExeLink('/opt/(deleted)/bin')).toEqual({ status: 'ok', exe: '/opt/(deleted)/bin' });
  });
});

describe('isKernelThread', () => {
  it('uses PF_KTHREAD, kthreadd itself, or kthreadd as parent', () => {
    expect(isKernelThread({ pid: 50, ppid: 0, flags: PF_KTHREAD | 0x40 })).toBe(true);
    expect(isKernelThread({ pid: 2, ppid: 0, flags: 0 })).toBe(true);
    expect(isKernelThread({ pid: 51, ppid: 2, flags: 0 })).toBe(true);
    expect(isKernelThread({ pid: 900, ppid: 1, flags: 4194560 })).toBe(false);
  });
});

describe('parseAuxv', () => {
  const vector = (pairs: Array<[number, number]>, wordBytes: 4 | 8, le: boolean) => {
    const buf = Buffer.alloc(pairs.length * 2 * wordBytes);
    pairs.flat().forEach((v, i) => {
      if (wordBytes === 8) {
        if (le) buf.writeBigUInt64LE(BigInt(v), i * 8);
        else buf.writeBigUInt64BE(BigInt(v), i * 8);
      } else if (le) buf.writeUInt32LE(v, i * 4);
      else buf.writeUInt32BE(v, i * 4);
    });
    return buf;
  };
  // AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, then AT_NULL.
  const pairs: Array<[number, number]> = [
    [16, 0xbfebfbff],
    [6, 4096],
    [17, 100],
    [3, 0x400040],
    [0, 0],
  ];

  it('reads the clock tick and page size in each word size and byte order', () => {
    for (const wordBytes of [4, 8] as const)
      for (const le of [true, false])
        expect(parseAuxv(vector(pairs, wordBytes, le), wordBytes, le)).toEqual({ clkTck: 100, pageSize: 4096 });
  });

  it('stops at AT_NULL and refuses a vector without sane values', () => {
    expect(
      parseAuxv(
        vector(
          [
            [0, 0],
            [6, 4096],
            [17, 100],
          ],
          8,
          true,
        ),
        8,
        true,
      ),
    ).toBeNull();
    expect(
      parseAuxv(
        vector(
          [
            [6, 4095],
            [17, 100],
            [0, 0],
          ],
          8,
          true,
        ),
        8,
        true,
      ),
    ).toBeNull();
    expect(parseAuxv(Buffer.alloc(5), 8, true)).toBeNull();
  });

  it('agrees with getconf on this machine', () => {
    if (process.platform !== 'linux') return;
    const aux = parseAuxv(
      fs.readFileSync('/proc/self/auxv'),
      process.arch.includes('64') ? 8 : 4,
      os.endianness() === 'LE',
    );
    expect(aux).toEqual({
      clkTck: Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()),
      pageSize: Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim()),
    });
  });
});
