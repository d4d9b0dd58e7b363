CREATE TABLE "sign_in_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer NOT NULL,
	"blocked_until" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_tokens" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "agent_tokens" ADD COLUMN "owner_email" text;--> statement-breakpoint
CREATE INDEX "sign_in_throttle_blocked_until_idx" ON "sign_in_throttle" USING btree ("blocked_until");--> statement-breakpoint
-- Backfill (hand-written): a token made on the dashboard belongs to the person who made it
-- (created_by held their email). One who is already gone keeps it, so it stops until an admin
-- re-assigns it. Tokens made from the CLI (`cli`) or a local dashboard (`local`) are the operator's.
UPDATE "agent_tokens" SET "owner_email" = "created_by" WHERE "created_by" LIKE '%@%';--> statement-breakpoint
UPDATE "agent_tokens" AS t SET "owner_id" = u."id", "owner_email" = u."email" FROM "user" AS u WHERE u."email" = lower(t."created_by");
