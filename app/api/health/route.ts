import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { methodNotAllowed } from '@/server/api/methods';

export const dynamic = 'force-dynamic';

/** Ready when the database answers; used by tests, supervisors and load balancers. */
export async function GET() {
  try {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return Response.json({ status: 'ok' });
  } catch {
    return Response.json({ status: 'unavailable', message: 'The database is not available.' }, { status: 503 });
  }
}

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
