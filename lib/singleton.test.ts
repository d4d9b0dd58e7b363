import { describe, expect, it } from 'vitest';
import { processSingleton } from './singleton';

describe('processSingleton', () => {
  it('keeps one value per name, shared by every copy of the module (it lives on globalThis)', () => {
    const a = processSingleton<{ n: number }>('test-a');
    const again = processSingleton<{ n: number }>('test-a');
    let made = 0;
    const v = a.once(() => ({ n: ++made }));
    expect(again.once(() => ({ n: ++made }))).toBe(v);
    expect(made).toBe(1);
    expect(a.clear()).toBe(v);
    expect(again.get()).toBeUndefined();
  });

  it('forgets a promise that rejects, so the next call tries again; keeps one that resolves', async () => {
    const s = processSingleton<Promise<number>>('test-b');
    let tries = 0;
    const failing = s.oncePromise(() => Promise.reject(new Error(`try ${++tries}`)));
    await expect(failing).rejects.toThrow('try 1');
    await Promise.resolve();
    expect(s.get()).toBeUndefined();
    const ok = s.oncePromise(() => Promise.resolve(++tries));
    expect(await ok).toBe(2);
    expect(s.oncePromise(() => Promise.resolve(99))).toBe(ok);
    s.clear();
  });
});
