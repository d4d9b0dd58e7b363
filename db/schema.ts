/**
 * Every table, by area (drizzle-kit reads this file; the migrations are in migrations/ beside it):
 * runs and their processes, VirusTotal lookups, hosted mode (people, agent tokens, fleet), and the
 * analysts' triage and baselines.
 */
export * from './schema/runs';
export * from './schema/virustotal';
export * from './schema/hosted';
export * from './schema/triage';
