CREATE TABLE "host_baselines" (
	"host_id" integer PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"pinned_at" timestamp with time zone DEFAULT now() NOT NULL,
	"pinned_by" text
);
--> statement-breakpoint
ALTER TABLE "host_baselines" ADD CONSTRAINT "host_baselines_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "host_baselines" ADD CONSTRAINT "host_baselines_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;