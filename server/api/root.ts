import 'server-only';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { runsRouter } from './routers/runs';
import { systemRouter } from './routers/system';
import { vtRouter } from './routers/vt';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  runs: runsRouter,
  system: systemRouter,
  vt: vtRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
