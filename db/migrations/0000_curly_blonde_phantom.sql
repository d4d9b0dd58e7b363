CREATE TABLE "executables" (
	"sha256" text PRIMARY KEY NOT NULL,
	"md5" text NOT NULL,
	"sha1" text NOT NULL,
	"size" bigint NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hash_cache" (
	"host_key" text NOT NULL,
	"dev" text NOT NULL,
	"ino" text NOT NULL,
	"size" bigint NOT NULL,
	"mtime_ns" text NOT NULL,
	"ctime_ns" text NOT NULL,
	"sha256" text NOT NULL,
	"md5" text NOT NULL,
	"sha1" text NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hash_cache_host_key_dev_ino_pk" PRIMARY KEY("host_key","dev","ino")
);
--> statement-breakpoint
CREATE TABLE "hosts" (
	"id" serial PRIMARY KEY NOT NULL,
	"host_key" text NOT NULL,
	"hostname" text NOT NULL,
	"platform" text NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hosts_host_key_unique" UNIQUE("host_key")
);
--> statement-breakpoint
CREATE TABLE "run_processes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"pid" integer NOT NULL,
	"ppid" integer NOT NULL,
	"name" text NOT NULL,
	"user" text NOT NULL,
	"state" text NOT NULL,
	"process_started_at" timestamp with time zone,
	"rss_bytes" bigint NOT NULL,
	"memory_percent" double precision NOT NULL,
	"cpu_percent" double precision NOT NULL,
	"cmdline" text NOT NULL,
	"exe_path" text,
	"exe_status" text NOT NULL,
	"exe_error" text,
	"sha256" text
);
--> statement-breakpoint
CREATE TABLE "runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"host_id" integer NOT NULL,
	"source" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error" text,
	"options" jsonb NOT NULL,
	"host_facts" jsonb,
	"total_processes" integer DEFAULT 0 NOT NULL,
	"process_count" integer DEFAULT 0 NOT NULL,
	"distinct_executables" integer DEFAULT 0 NOT NULL,
	"hashed_files" integer DEFAULT 0 NOT NULL,
	"cache_hits" integer DEFAULT 0 NOT NULL,
	"bytes_read" bigint DEFAULT 0 NOT NULL,
	"duration_ms" integer
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "run_processes" ADD CONSTRAINT "run_processes_run_id_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "run_processes" ADD CONSTRAINT "run_processes_sha256_executables_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."executables"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "runs" ADD CONSTRAINT "runs_host_id_hosts_id_fk" FOREIGN KEY ("host_id") REFERENCES "public"."hosts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "run_processes_run_idx" ON "run_processes" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "run_processes_sha256_idx" ON "run_processes" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "runs_host_started_idx" ON "runs" USING btree ("host_id","started_at");--> statement-breakpoint
CREATE INDEX "runs_status_idx" ON "runs" USING btree ("status");