import { describe, expect, it } from 'vitest';
import { BODY_CUT_MESSAGE, DISCARD_MAX_BYTES, guarded, readBodyWithin } from './http';

const LIMIT = 1000;
const TOO_LARGE = 'Too large.';

function streamOf(chunks: Uint8Array[], failAfter = Infinity): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i >= failAfter) return controller.error(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
}

function post(body: ReadableStream<Uint8Array> | string, headers: Record<string, string> = {}): Request {
  return new Request('http://127.0.0.1:3000/api/x', {
    method: 'POST',
    headers,
    body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
}

async function message(res: Buffer | Response): Promise<[number, string]> {
  expect(res).toBeInstanceOf(Response);
  const r = res as Response;
  return [r.status, ((await r.json()) as { error: { message: string } }).error.message];
}

describe('readBodyWithin', () => {
  it('returns a body within the limit, declared or chunked', async () => {
    expect(String(await readBodyWithin(post('x'.repeat(LIMIT)), LIMIT, TOO_LARGE))).toBe('x'.repeat(LIMIT));
    const chunked = post(streamOf([new Uint8Array(600), new Uint8Array(400)]));
    expect(((await readBodyWithin(chunked, LIMIT, TOO_LARGE)) as Buffer).length).toBe(LIMIT);
  });

  it('answers 413 for a declared or a counted length over the limit, keeping none of it', async () => {
    // The refused body is read into nothing (so the client is still reading when the 413 comes,
    // instead of losing it to a reset connection), up to DISCARD_MAX_BYTES; then the stream is cut.
    let pulled = 0;
    let cancelled = false;
    const chunk = 64 * 1024;
    const endlessDeclared = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled++;
        c.enqueue(new Uint8Array(chunk));
      },
      cancel() {
        cancelled = true;
      },
    });
    expect(
      await message(await readBodyWithin(post(endlessDeclared, { 'content-length': '1001' }), LIMIT, TOO_LARGE)),
    ).toEqual([413, TOO_LARGE]);
    expect(pulled).toBeLessThanOrEqual(DISCARD_MAX_BYTES / chunk + 2);
    expect(cancelled).toBe(true);
    const endless = post(streamOf(Array.from({ length: 50 }, () => new Uint8Array(100))));
    expect(await message(await readBodyWithin(endless, LIMIT, TOO_LARGE))).toEqual([413, TOO_LARGE]);
  });

  it('answers 400 when the client goes away mid-body, or the body ends short of its Content-Length', async () => {
    const aborted = post(streamOf([new Uint8Array(100), new Uint8Array(100)], 1));
    expect(await message(await readBodyWithin(aborted, LIMIT, TOO_LARGE))).toEqual([400, BODY_CUT_MESSAGE]);
    const short = post(streamOf([new Uint8Array(100)]), { 'content-length': '500' });
    expect(await message(await readBodyWithin(short, LIMIT, TOO_LARGE))).toEqual([400, BODY_CUT_MESSAGE]);
  });
});

describe('guarded: the last resort for PostgreSQL data exceptions', () => {
  it('answers 400 with a sentence instead of a 500', async () => {
    const failing = guarded('public', async () => {
      throw new Error('Failed query: insert … params: a\u0000b', { cause: { code: '22P05' } });
    });
    const [status, text] = await message(await failing(post('{}'), {}));
    expect(status).toBe(400);
    expect(text).toMatch(/character the database cannot store/);
    expect(text).not.toContain('params');
    const other = guarded('public', async () => {
      throw new Error('something else');
    });
    await expect(other(post('{}'), {})).rejects.toThrow('something else');
  });
});
