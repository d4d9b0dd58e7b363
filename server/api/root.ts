import 'server-only';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { fleetRouter } from './routers/fleet';
import { runsRouter } from './routers/runs';
import { systemRouter } from './routers/system';
import { tokensRouter } from './routers/tokens';
import { triageRouter } from './routers/triage';
import { vtRouter } from './routers/vt';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  runs: runsRouter,
  system: systemRouter,
  vt: vtRouter,
  fleet: fleetRouter,
  tokens: tokensRouter,
  triage: triageRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
