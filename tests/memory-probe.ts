/**
 * Uploads through `POST /api/imports`, one after another in one process, measured from the inside:
 *
 *   node --expose-gc --conditions=react-server --import tsx tests/memory-probe.ts FILE...
 *
 * The route handler runs as the server runs it (multipart body, PGlite in a throwaway data
 * directory). The process warms up first (modules loaded, one small import stored), then, before
 * each upload, collects garbage and resets the kernel's peak-RSS mark (/proc/self/clear_refs) so
 * each figure is that upload's alone. Prints one JSON line per file, in order:
 * { status, message, baselineMb, peakMb, ms }.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

process.env.LOG_LEVEL = 'error';

const rssMb = () => process.memoryUsage().rss / 2 ** 20;
function peakMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.resourceUsage().maxRSS / 1024;
}

/** The bytes a browser would send: the file in a multipart form, as one buffer. */
async function multipart(file: Buffer): Promise<{ body: Buffer; type: string }> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(file)]), 'upload.xlsx');
  const res = new Response(form);
  return { body: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type')! };
}

async function main() {
  const files = process.argv.slice(2);
  if (!files.length) throw new Error('usage: memory-probe.ts FILE...');
  const { openTestDb } = await import('./helpers');
  await openTestDb();
  const { POST } = await import('@/app/api/imports/route');
  const { localPersonHeaders } = await import('./caller');
  const { oldScriptWorkbook } = await import('./import-fixtures');
  const post = (m: { body: Buffer; type: string }) =>
    POST(
      new Request('http://127.0.0.1:3000/api/imports', {
        method: 'POST',
        headers: {
          host: '127.0.0.1:3000',
          'content-type': m.type,
          'content-length': String(m.body.length),
          ...localPersonHeaders(),
        },
        body: new Uint8Array(m.body.buffer as ArrayBuffer, m.body.byteOffset, m.body.length),
      }),
      undefined,
    );
  const warm = await post(await multipart(oldScriptWorkbook()));
  if (warm.status !== 201) throw new Error(`warm-up import answered ${warm.status}`);

  for (const file of files) process.stdout.write(`${JSON.stringify(await measure(post, file))}\n`);
}

/** One upload, its peak resident memory over the process before it (after a collection). */
async function measure(post: (m: { body: Buffer; type: string }) => Promise<Response>, file: string) {
  let upload: { body: Buffer; type: string } | null = await multipart(fs.readFileSync(file));
  const request = post.bind(null, upload);
  upload = null;
  global.gc?.();
  fs.writeFileSync('/proc/self/clear_refs', '5');
  const baselineMb = rssMb();
  const t = performance.now();
  // A handler that throws is a 500 from Next; the probe reports it the same way.
  let status = 500;
  let message: string | null = null;
  try {
    const res = await request();
    status = res.status;
    message = ((await res.json()) as { error?: { message?: string } }).error?.message ?? null;
  } catch (e) {
    message = (e instanceof Error ? e.message : String(e)).slice(0, 300);
  }
  const ms = performance.now() - t;
  return { status, message, baselineMb, peakMb: peakMb(), ms };
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
