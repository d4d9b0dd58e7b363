// What `next build` reads from this tree: `npm start` rebuilds when one of these is newer than the
// build, and the dashboard bench reports edits made after the build it measures. One list for both.
export const BUILD_INPUTS = [
  'app',
  'domain',
  'lib',
  'server',
  'db',
  'public',
  'proxy.ts',
  'instrumentation.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'package-lock.json',
  'tsconfig.json',
];
