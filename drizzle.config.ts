import { defineConfig } from 'drizzle-kit';

// Migrations are generated once from db/schema.ts and applied by the app at start (PGlite and Postgres alike).
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema.ts',
  out: './db/migrations',
});
