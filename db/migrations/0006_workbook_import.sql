ALTER TABLE "executables" ALTER COLUMN "size" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "run_processes" ADD COLUMN "unresolved_md5" text;--> statement-breakpoint
CREATE INDEX "executables_md5_idx" ON "executables" USING btree ("md5");--> statement-breakpoint
CREATE INDEX "run_processes_unresolved_md5_idx" ON "run_processes" USING btree ("unresolved_md5") WHERE "run_processes"."unresolved_md5" is not null;