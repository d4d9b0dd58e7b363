import { expect } from 'vitest';
import type { UrlParam } from '@/app/_components/url/url-params';

/** parse(format(v)) gives v back, the default is written as nothing, and absent reads as the default. */
export function expectRoundTrip<T>(param: UrlParam<T>, values: readonly T[], fallback: T): void {
  for (const v of values) expect(param.parse(param.format(v)), `${param.key}=${String(v)}`).toEqual(v);
  expect(param.format(fallback), `${param.key} default`).toBeNull();
  expect(param.parse(null), `${param.key} absent`).toEqual(fallback);
}
