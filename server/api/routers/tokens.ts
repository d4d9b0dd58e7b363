import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  agentTokenList,
  createAgentToken,
  revokeAgentTokenByName,
  TOKEN_NAME_RE,
  TOKEN_NAME_RULE,
  TokenNameTakenError,
} from '@/server/auth/agent-tokens';
import { adminProcedure, createTRPCRouter } from '../trpc';

const nameInput = z.object({ name: z.string().trim().regex(TOKEN_NAME_RE, TOKEN_NAME_RULE) });

export const tokensRouter = createTRPCRouter({
  list: adminProcedure.query(async ({ ctx }) => agentTokenList(await ctx.db())),

  /** The token comes back once, here; only its hash is stored. */
  create: adminProcedure.input(nameInput).mutation(async ({ ctx, input }) => {
    try {
      const createdBy = ctx.who.kind === 'user' ? ctx.who.user.email : 'local';
      return await createAgentToken(await ctx.db(), input.name, createdBy);
    } catch (e) {
      if (e instanceof TokenNameTakenError) throw new TRPCError({ code: 'CONFLICT', message: e.message });
      throw e;
    }
  }),

  revoke: adminProcedure.input(nameInput).mutation(async ({ ctx, input }) => {
    if (!(await revokeAgentTokenByName(await ctx.db(), input.name))) {
      throw new TRPCError({ code: 'NOT_FOUND', message: `No active token is named "${input.name}".` });
    }
    return { revoked: input.name };
  }),
});
