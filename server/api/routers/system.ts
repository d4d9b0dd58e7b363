import 'server-only';
import { getEnv } from '@/server/env';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const systemRouter = createTRPCRouter({
  info: publicProcedure.query(() => {
    const env = getEnv();
    return { dbMode: env.dbMode, version: process.env.npm_package_version ?? '0.1.0' };
  }),
});
