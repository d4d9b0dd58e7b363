// `node --import ./tests/max-rss.mjs …` writes the process's peak resident memory (kB, from
// getrusage) to the file named by PROCLENS_MAX_RSS_FILE when it exits: a whole-process figure for
// a command run as users run it.
import fs from 'node:fs';

const file = process.env.PROCLENS_MAX_RSS_FILE;
if (file) process.on('exit', () => fs.writeFileSync(file, String(process.resourceUsage().maxRSS)));
