import 'server-only';
import { getEnv } from '@/lib/env';
import { createTRPCRouter, publicProcedure, viewerProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  info: viewerProcedure.query(() => {
    const env = getEnv();
    return { dbMode: env.dbMode, version: process.env.npm_package_version ?? '0.1.0' };
  }),

  /** Who is signed in (the header shows it); public so the sign-in page can ask too. */
  me: publicProcedure.query(({ ctx }) => {
    const mode = getEnv().hosted ? ('hosted' as const) : ('local' as const);
    const who = ctx.who;
    return {
      mode,
      user: who.kind === 'user' ? { email: who.user.email, name: who.user.name, role: who.user.role } : null,
    };
  }),
});
