/**
 * One value per process, whatever loads this module. Next can evaluate a module more than once in
 * one process (instrumentation, route bundles, the proxy), so module-level state would split: the
 * value lives on globalThis instead, under one ProcLens map, by name.
 */
const g = globalThis as unknown as { __proclens?: Map<string, unknown> };

export interface Singleton<T> {
  /** The value, or undefined before it is set (or after `clear`). */
  get(): T | undefined;
  set(value: T): T;
  /** Forgets the value and returns what it was. */
  clear(): T | undefined;
  /** The value, made by `make` on first use. */
  once(make: () => T): T;
  /**
   * A promise made by `make` on first use, forgotten if it rejects so the next call tries again (a
   * failed database open must not stay failed for the life of the server).
   */
  oncePromise(this: Singleton<Promise<unknown>>, make: () => T): T;
}

export function processSingleton<T>(name: string): Singleton<T> {
  const map = (g.__proclens ??= new Map<string, unknown>());
  const slot: Singleton<T> = {
    get: () => map.get(name) as T | undefined,
    set: (value) => {
      map.set(name, value);
      return value;
    },
    clear: () => {
      const value = map.get(name) as T | undefined;
      map.delete(name);
      return value;
    },
    once: (make) => {
      if (!map.has(name)) map.set(name, make());
      return map.get(name) as T;
    },
    oncePromise(make) {
      if (map.has(name)) return map.get(name) as T;
      const p = make();
      map.set(name, p);
      (p as Promise<unknown>).catch(() => {
        if (map.get(name) === p) map.delete(name);
      });
      return p;
    },
  };
  return slot;
}
