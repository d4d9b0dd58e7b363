import { describe, expect, it } from 'vitest';
import { describeHeuristic, detectHeuristics, type HeuristicSubject } from './heuristics';

const base: HeuristicSubject = {
  name: 'sleep',
  cmdline: '/usr/bin/sleep 30',
  exe: '/usr/bin/sleep',
  exeStatus: 'ok',
  user: 'alice',
  effectiveUser: 'alice',
  realUid: 1000,
  effectiveUid: 1000,
  worldWritable: false,
};
const detect = (over: Partial<HeuristicSubject>) => detectHeuristics({ ...base, ...over });

describe('detectHeuristics', () => {
  it('finds nothing on an ordinary process or a kernel thread', () => {
    expect(detect({})).toEqual([]);
    expect(detect({ name: 'kworker/0:1', exe: null, exeStatus: 'kernel-thread', cmdline: '' })).toEqual([]);
  });

  it('flags deleted and memfd executables', () => {
    expect(detect({ exeStatus: 'deleted' })).toEqual(['deleted']);
    expect(detect({ exeStatus: 'memfd', exe: '/memfd:x', name: 'x', cmdline: 'x' })).toEqual(['memfd']);
  });

  it('flags executables in /tmp, /dev/shm, /var/tmp and home folders', () => {
    for (const exe of ['/tmp/sleep', '/dev/shm/sleep', '/var/tmp/sleep']) {
      expect(detect({ exe, cmdline: `${exe} 30` })).toEqual(['temp-dir']);
    }
    expect(detect({ exe: '/home/alice/bin/sleep' })).toEqual(['home-dir']);
    expect(detect({ exe: '/root/sleep' })).toEqual(['home-dir']);
    expect(detect({ exe: '/tmpfoo/sleep' })).toEqual([]);
  });

  it('flags a world-writable executable', () => {
    expect(detect({ worldWritable: true })).toEqual(['world-writable']);
  });

  it('flags a kernel-thread name on a process that has an executable', () => {
    expect(detect({ name: '[kworker/0:1]', cmdline: '[kworker/0:1]' })).toEqual(
      expect.arrayContaining(['kthread-mimic', 'name-mismatch']),
    );
    expect(detect({ cmdline: '[kworker/0:1] ' })).toContain('kthread-mimic');
  });

  it('flags a name that is not the executable, except an interpreter named after its script', () => {
    expect(detect({ name: 'sshd', cmdline: 'sshd: root' })).toEqual(['name-mismatch']);
    expect(
      detect({
        name: 'networkd-dispat',
        exe: '/usr/bin/python3.11',
        cmdline: '/usr/bin/python3 /usr/bin/networkd-dispatcher --run',
      }),
    ).toEqual([]);
    // comm keeps 15 bytes of a long executable name.
    expect(detect({ name: 'a-very-long-exe-', exe: '/usr/bin/a-very-long-exe-name', cmdline: 'x' }).length).toBe(1);
    expect(detect({ name: 'a-very-long-exe', exe: '/usr/bin/a-very-long-exe-name', cmdline: 'x' })).toEqual([]);
  });

  it('flags an effective user that differs from the real user', () => {
    expect(detect({ effectiveUser: 'root', effectiveUid: 0 })).toEqual(['setuid']);
    expect(detect({ realUid: null, effectiveUid: null, effectiveUser: 'root' })).toEqual(['setuid']);
  });
});

describe('describeHeuristic', () => {
  const p = { name: '[kworker/0:1]', exe: '/dev/shm/x', user: 'alice', effectiveUser: 'root' };
  it('names the facts in the reason', () => {
    expect(describeHeuristic('temp-dir', p)).toEqual({
      label: 'runs from /dev/shm',
      reason: 'The executable lives in /dev/shm, a folder anyone can write to.',
    });
    expect(describeHeuristic('setuid', p).reason).toBe(
      'Effective user root differs from real user alice (setuid or changed credentials).',
    );
    expect(describeHeuristic('kthread-mimic', p).reason).toContain('/dev/shm/x');
    expect(describeHeuristic('from-the-future', p)).toEqual({ label: 'from-the-future', reason: 'from-the-future' });
  });
});
