CREATE TABLE "hash_triage" (
	"sha256" text PRIMARY KEY NOT NULL,
	"decision" text NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"decided_by" text NOT NULL,
	"decided_by_id" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL,
	"log_id" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hash_triage_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"sha256" text NOT NULL,
	"decision" text,
	"note" text DEFAULT '' NOT NULL,
	"decided_by" text NOT NULL,
	"decided_by_id" text,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "hash_triage" ADD CONSTRAINT "hash_triage_sha256_executables_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."executables"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hash_triage_log" ADD CONSTRAINT "hash_triage_log_sha256_executables_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."executables"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hash_triage_log_sha256_idx" ON "hash_triage_log" USING btree ("sha256","id");