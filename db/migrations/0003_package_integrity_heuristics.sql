ALTER TABLE "run_processes" ADD COLUMN "effective_user" text;--> statement-breakpoint
ALTER TABLE "run_processes" ADD COLUMN "package" text;--> statement-breakpoint
ALTER TABLE "run_processes" ADD COLUMN "integrity" text;--> statement-breakpoint
ALTER TABLE "run_processes" ADD COLUMN "heuristics" jsonb DEFAULT '[]'::jsonb NOT NULL;