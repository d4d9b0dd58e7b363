import 'server-only';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { boundedText, TEXT_MAX } from '@/domain/limits';
import {
  agentTokenList,
  createAgentToken,
  possibleTokenOwners,
  reassignAgentTokenTo,
  revokeAgentTokenByName,
  TOKEN_NAME_RE,
  TOKEN_NAME_RULE,
  TokenNameTakenError,
  TokenNotFoundError,
  TokenOwnerInvalidError,
} from '@/server/auth/agent-tokens';
import { adminProcedure, createTRPCRouter } from '../trpc';

const tokenName = z.string().trim().regex(TOKEN_NAME_RE, TOKEN_NAME_RULE);
const nameInput = z.object({ name: tokenName });
const reassignInput = z.object({
  name: tokenName,
  toEmail: boundedText(TEXT_MAX.email).trim().min(1, 'Give the email of the admin who takes the token over.'),
});

export const tokensRouter = createTRPCRouter({
  /** Each token with its owner (null: the operator's) and `status` (whether it works, and if not why). */
  list: adminProcedure.query(async ({ ctx }) => agentTokenList(await ctx.db())),

  /** Who a token may be given to: admins in good standing. */
  owners: adminProcedure.query(async ({ ctx }) => possibleTokenOwners(await ctx.db())),

  /** The token comes back once, here; only its hash is stored. It belongs to the admin who made it. */
  create: adminProcedure.input(nameInput).mutation(async ({ ctx, input }) => {
    try {
      const who = ctx.who;
      const createdBy = who.kind === 'user' ? who.user.email : 'local';
      const owner = who.kind === 'user' ? { id: who.user.id, email: who.user.email } : null;
      return await createAgentToken(await ctx.db(), input.name, createdBy, owner);
    } catch (e) {
      if (e instanceof TokenNameTakenError) throw new TRPCError({ code: 'CONFLICT', message: e.message });
      throw e;
    }
  }),

  /** Another admin takes a token over (its owner left, or is leaving); it works again if it had stopped. */
  reassign: adminProcedure.input(reassignInput).mutation(async ({ ctx, input }) => {
    try {
      await reassignAgentTokenTo(await ctx.db(), input.name, input.toEmail);
      return { name: input.name, owner: input.toEmail.toLowerCase() };
    } catch (e) {
      if (e instanceof TokenNotFoundError) throw new TRPCError({ code: 'NOT_FOUND', message: e.message });
      if (e instanceof TokenOwnerInvalidError) throw new TRPCError({ code: 'BAD_REQUEST', message: e.message });
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
