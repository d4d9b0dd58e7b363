CREATE TABLE "vt_jobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vt_quota" (
	"id" text PRIMARY KEY NOT NULL,
	"next_allowed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"day" text NOT NULL,
	"day_count" integer DEFAULT 0 NOT NULL,
	"paused_until" timestamp with time zone,
	"pause_reason" text,
	"pause_message" text,
	"last_request_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "vt_run_checks" (
	"run_id" integer PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"uncached_at_start" integer DEFAULT 0 NOT NULL,
	"requests_made" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "vt_verdicts" (
	"sha256" text PRIMARY KEY NOT NULL,
	"found" boolean NOT NULL,
	"vt_score" integer,
	"stats" jsonb,
	"suspicious" integer,
	"total_engines" integer,
	"last_analysis_at" timestamp with time zone,
	"threat_label" text,
	"meaningful_name" text,
	"type_description" text,
	"engines" jsonb,
	"fetched_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "vt_run_checks" ADD CONSTRAINT "vt_run_checks_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vt_jobs_ready_idx" ON "vt_jobs" USING btree ("status","next_attempt_at");