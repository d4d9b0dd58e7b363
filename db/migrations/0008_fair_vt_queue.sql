CREATE TABLE "vt_host_shares" (
	"host_id" integer NOT NULL,
	"day" text NOT NULL,
	"queued" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "vt_host_shares_host_id_day_pk" PRIMARY KEY("host_id","day")
);
--> statement-breakpoint
CREATE TABLE "vt_host_turns" (
	"host_id" integer NOT NULL,
	"priority" smallint NOT NULL,
	"served_at" timestamp with time zone,
	CONSTRAINT "vt_host_turns_host_id_priority_pk" PRIMARY KEY("host_id","priority")
);
--> statement-breakpoint
CREATE TABLE "vt_job_hosts" (
	"host_id" integer NOT NULL,
	"sha256" text NOT NULL,
	"priority" smallint NOT NULL,
	"rank" smallint NOT NULL,
	"host_count" integer NOT NULL,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vt_job_hosts_host_id_sha256_pk" PRIMARY KEY("host_id","sha256")
);
--> statement-breakpoint
CREATE TABLE "vt_run_held" (
	"run_id" integer NOT NULL,
	"sha256" text NOT NULL,
	"held_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vt_run_held_run_id_sha256_pk" PRIMARY KEY("run_id","sha256")
);
--> statement-breakpoint
ALTER TABLE "vt_host_shares" ADD CONSTRAINT "vt_host_shares_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vt_host_turns" ADD CONSTRAINT "vt_host_turns_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vt_job_hosts" ADD CONSTRAINT "vt_job_hosts_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vt_job_hosts" ADD CONSTRAINT "vt_job_hosts_sha256_vt_jobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."vt_jobs"("sha256") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vt_run_held" ADD CONSTRAINT "vt_run_held_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "vt_host_turns_order_idx" ON "vt_host_turns" USING btree ("priority","served_at" NULLS FIRST,"host_id");--> statement-breakpoint
CREATE INDEX "vt_job_hosts_turn_idx" ON "vt_job_hosts" USING btree ("host_id","priority","rank","host_count","queued_at","sha256");--> statement-breakpoint
CREATE INDEX "vt_job_hosts_sha256_idx" ON "vt_job_hosts" USING btree ("sha256");
--> statement-breakpoint
-- Lookups queued before the upgrade: each host whose active check needs one waits for it, ranked from
-- its own processes (the rule of rankCaseSql in db/queries/vt-plan.ts as it stood at this migration),
-- at the agents' priority when every run asking is an agent's, else at a person's.
INSERT INTO "vt_job_hosts" ("host_id", "sha256", "priority", "rank", "host_count", "queued_at")
SELECT r."host_id", j."sha256",
  CASE WHEN bool_and(r."source" = 'agent') THEN 1 ELSE 0 END,
  CASE
    WHEN bool_or(rp."integrity" = 'modified') THEN 0
    WHEN bool_or(rp."integrity" = 'not-packaged') AND bool_or(jsonb_array_length(rp."heuristics") > 0) THEN 0
    WHEN bool_or(jsonb_array_length(rp."heuristics") > 0) OR bool_or(rp."integrity" = 'not-packaged') THEN 1
    WHEN bool_and(coalesce(rp."integrity", '') = 'matches') THEN 3
    ELSE 2
  END,
  (SELECT count(DISTINCT r2."host_id") FROM "run_processes" x JOIN "runs" r2 ON r2."id" = x."run_id"
    WHERE x."sha256" = j."sha256" OR x."unresolved_md5" = j."sha256"),
  j."created_at"
FROM "vt_jobs" j
JOIN "run_processes" rp ON rp."sha256" = j."sha256" OR rp."unresolved_md5" = j."sha256"
JOIN "vt_run_checks" c ON c."run_id" = rp."run_id" AND c."status" = 'active'
JOIN "runs" r ON r."id" = rp."run_id"
WHERE j."status" = 'queued'
GROUP BY r."host_id", j."sha256", j."created_at";
--> statement-breakpoint
INSERT INTO "vt_host_turns" ("host_id", "priority") SELECT DISTINCT "host_id", "priority" FROM "vt_job_hosts";
