import { main } from './main';

// bin/proclens.mjs runs this in a child process; if that wrapper is killed outright, stop too
// rather than live on holding the data directory.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();

process.exitCode = await main(process.argv.slice(2));
