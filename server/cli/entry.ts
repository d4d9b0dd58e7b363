import { main } from './main';

/** The compiled CLI's entry (scripts/build-cli.mjs); bin/proclens.mjs imports it in its own process. */
export function run(argv: string[]): Promise<number> {
  return main(argv);
}
