import 'server-only';
import { z } from 'zod';
import { boundedText, TEXT_MAX } from '@/domain/limits';
import { actorOf } from '@/server/auth/actor';
import {
  agentTokenList,
  createAgentToken,
  possibleTokenOwners,
  reassignAgentTokenTo,
  revokeAgentTokenByName,
  TOKEN_NAME_RE,
  TOKEN_NAME_RULE,
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
    const who = actorOf(ctx.who);
    const owner = who.userId && who.email ? { id: who.userId, email: who.email } : null;
    return createAgentToken(await ctx.db(), input.name, who.label, owner);
  }),

  /** Another admin takes a token over (its owner left, or is leaving); it works again if it had stopped. */
  reassign: adminProcedure.input(reassignInput).mutation(async ({ ctx, input }) => {
    await reassignAgentTokenTo(await ctx.db(), input.name, input.toEmail);
    return { name: input.name, owner: input.toEmail.toLowerCase() };
  }),

  revoke: adminProcedure.input(nameInput).mutation(async ({ ctx, input }) => {
    await revokeAgentTokenByName(await ctx.db(), input.name);
    return { revoked: input.name };
  }),
});
