import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { actorOf } from './actor';

describe('actorOf: who acted, in one label format', () => {
  it('a signed-in person is "Name <email>", or the email alone when the name adds nothing', () => {
    const user = { id: 'u-ann', email: 'ann@example.org', name: 'Ann Analyst', role: 'analyst' };
    expect(actorOf({ kind: 'user', user })).toEqual({
      label: 'Ann Analyst <ann@example.org>',
      userId: 'u-ann',
      email: 'ann@example.org',
    });
    expect(actorOf({ kind: 'user', user: { ...user, name: 'ann@example.org' } }).label).toBe('ann@example.org');
    expect(actorOf({ kind: 'user', user: { ...user, name: '' } }).label).toBe('ann@example.org');
  });

  it('the local person is the OS account running the server', () => {
    expect(actorOf({ kind: 'local' })).toEqual({
      label: `local user ${os.userInfo().username}`,
      userId: null,
      email: null,
    });
  });

  it('an agent is its token name; nobody else gets a person id', () => {
    expect(actorOf({ kind: 'agent', tokenId: 7, name: 'web-fleet' })).toEqual({
      label: 'agent web-fleet',
      userId: null,
      email: null,
    });
    expect(actorOf({ kind: 'anonymous' }).userId).toBeNull();
  });
});
