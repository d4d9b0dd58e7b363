// `npm start`: validate the configuration, build when there is no current build, then serve.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BUILD_INPUTS } from './build-inputs.mjs';
import { stampPeerAddresses } from './peer-address.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// The server validates everything again at boot; asking the CLI first fails fast, before a build.
const check = spawnSync(process.execPath, [path.join(root, 'bin/proclens.mjs'), 'config'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
if (check.status !== 0) process.exit(check.status ?? 1);
const config = JSON.parse(check.stdout);

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

function buildIsCurrent() {
  let built;
  try {
    built = fs.statSync(path.join(root, '.next', 'BUILD_ID')).mtimeMs;
  } catch {
    return false;
  }
  return BUILD_INPUTS.every((s) => newestMtime(path.join(root, s)) <= built);
}

const nextBin = path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next');
if (!buildIsCurrent()) {
  console.error('proclens: building the dashboard (first start or sources changed)…');
  const b = spawnSync(process.execPath, [nextBin, 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (b.status !== 0) {
    console.error('proclens: the build failed; see the messages above.');
    process.exit(b.status ?? 1);
  }
}

const host = config.host;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
// Serve in this very process (no child): a kill of `npm start` can never orphan a server that
// still holds the data directory. The app closes its database itself on SIGINT/SIGTERM.
Object.assign(process.env, { NEXT_MANUAL_SIG_HANDLE: 'true', NEXT_TELEMETRY_DISABLED: '1', PROCLENS_ROOT: root });
process.argv = [process.argv[0], nextBin, 'start', '--hostname', host, '--port', String(config.port)];
// Before Next creates its server: every request then carries its TCP peer (see peer-address.mjs).
stampPeerAddresses();
await import(pathToFileURL(nextBin).href);

// Say where the dashboard is once it answers: in local mode the access link with its token (the
// server made it in DATA_DIR at boot), from `proclens url`, the one place that builds it. This line
// is the only place the token is ever printed. (Not spawnSync: this process is the server.)
function dashboardLink() {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'bin/proclens.mjs'), 'url'],
      { encoding: 'utf8' },
      (err, stdout, stderr) => {
        const link = err ? '' : stdout.trim();
        if (!link)
          console.error(`proclens: could not print the access link (${stderr.trim()}); run "npx proclens url".`);
        resolve(link || `${url}/`);
      },
    );
  });
}

const started = Date.now();
let announced = false;
const poll = setInterval(async () => {
  try {
    const res = await fetch(`${url}/api/health`);
    if (res.ok && !announced) {
      announced = true;
      clearInterval(poll);
      console.log(`ProcLens dashboard: ${await dashboardLink()}`);
      console.log(`ProcLens data: ${config.database === 'postgres' ? 'PostgreSQL' : config.dataDir}`);
    }
  } catch {
    if (Date.now() - started > 120_000) clearInterval(poll);
  }
}, 200);
